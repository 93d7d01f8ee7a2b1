// The files picked for a job and the ones refused, as one state. A pick is checked by name and
// size at once, then by each file's first bytes (read in the browser: not an image, too many
// pixels) before it joins the grid; while that reading runs, `checking` counts the files.
import { useCallback, useMemo, useReducer } from 'react';
import { addFiles, foldRefusals, NO_REFUSALS, removeFileAt, worthReading, type FileLike, type Refusals } from '../lib/files';
import type { HeaderInfo } from '../lib/imageHeader';
import { SERVER_LIMITS, type Limits } from '../lib/limits';
import { readHeaders } from '../lib/preflight';

export interface Picked<T extends FileLike> {
  files: T[];
  refusals: Refusals;
  /** files of picks whose headers are still being read */
  checking: number;
  /** bumped by "Remove all": a pick still being read when it was pressed is dropped */
  generation: number;
}

export type PickedAction<T extends FileLike> =
  | { type: 'checking'; count: number }
  | { type: 'add'; incoming: T[]; headers: ReadonlyMap<T, HeaderInfo | null>; generation: number }
  | { type: 'remove'; index: number }
  | { type: 'dismiss'; index: number }
  | { type: 'clear' };

export function initialPicked<T extends FileLike>(): Picked<T> {
  return { files: [], refusals: NO_REFUSALS, checking: 0, generation: 0 };
}

export function pickedReducer<T extends FileLike>(limits: Limits) {
  return (state: Picked<T>, action: PickedAction<T>): Picked<T> => {
    switch (action.type) {
      case 'checking':
        return { ...state, checking: state.checking + action.count };
      case 'add': {
        if (action.generation !== state.generation) return state;
        const result = addFiles(state.files, action.incoming, limits, action.headers);
        return {
          ...state,
          files: result.files,
          refusals: foldRefusals(state.refusals, result.rejected),
          checking: Math.max(0, state.checking - action.incoming.length),
        };
      }
      case 'remove':
        // The counts said something of the last pick; after a removal they would mislead.
        return { ...state, files: removeFileAt(state.files, action.index), refusals: { ...state.refusals, leftOut: 0, duplicates: 0 } };
      case 'dismiss':
        return { ...state, refusals: { ...state.refusals, marked: removeFileAt(state.refusals.marked, action.index) } };
      case 'clear':
        return { ...initialPicked<T>(), generation: state.generation + 1 };
    }
  };
}

export interface PickedFiles {
  picked: Picked<File>;
  /** checks the files (their headers are read first), then adds them or marks them refused */
  add: (incoming: File[]) => Promise<void>;
  remove: (index: number) => void;
  dismiss: (index: number) => void;
  clear: () => void;
}

export function usePickedFiles(limits: Limits = SERVER_LIMITS): PickedFiles {
  const reducer = useMemo(() => pickedReducer<File>(limits), [limits]);
  const [picked, dispatch] = useReducer(reducer, undefined, initialPicked<File>);
  const generation = picked.generation;
  const add = useCallback(
    async (incoming: File[]) => {
      if (incoming.length === 0) return;
      dispatch({ type: 'checking', count: incoming.length });
      const headers = await readHeaders(incoming, (f) => worthReading(f, limits));
      dispatch({ type: 'add', incoming, headers, generation });
    },
    [limits, generation],
  );
  const remove = useCallback((index: number) => dispatch({ type: 'remove', index }), []);
  const dismiss = useCallback((index: number) => dispatch({ type: 'dismiss', index }), []);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  return { picked, add, remove, dismiss, clear };
}
