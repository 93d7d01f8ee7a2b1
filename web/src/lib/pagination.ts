// Cursor pages (newest first): appending a page, adding a new item on top, removing one.

export interface Paged<T> {
  items: T[];
  /** null when the last page has been read */
  cursor: string | null;
  /** true until the first page arrived */
  initial: boolean;
}

export function emptyPaged<T>(): Paged<T> {
  return { items: [], cursor: null, initial: true };
}

type Keyed = { id: string | number };

/** Appends a page, dropping items already shown (a new job shifts the pages between fetches). */
export function appendPage<T extends Keyed>(state: Paged<T>, page: { items: T[]; next_cursor: string | null }): Paged<T> {
  const seen = new Set(state.items.map((i) => i.id));
  return {
    items: [...state.items, ...page.items.filter((i) => !seen.has(i.id))],
    cursor: page.next_cursor,
    initial: false,
  };
}

export function prependItem<T extends Keyed>(state: Paged<T>, item: T): Paged<T> {
  if (state.items.some((i) => i.id === item.id)) return state;
  return { ...state, items: [item, ...state.items] };
}

export function removeItem<T extends Keyed>(state: Paged<T>, id: T['id']): Paged<T> {
  return { ...state, items: state.items.filter((i) => i.id !== id) };
}

export function replaceItems<T extends Keyed>(state: Paged<T>, items: T[]): Paged<T> {
  return items === state.items ? state : { ...state, items };
}

export function hasMore<T>(state: Paged<T>): boolean {
  return state.initial || state.cursor !== null;
}
