import { describe, expect, it } from 'vitest';
import { appendPage, emptyPaged, hasMore, prependItem, removeItem, replaceItems } from './pagination';

type Item = { id: string; v?: number };

describe('cursor pages', () => {
  it('starts wanting a first page, then follows the cursor', () => {
    let s = emptyPaged<Item>();
    expect(hasMore(s)).toBe(true);
    s = appendPage(s, { items: [{ id: 'c' }, { id: 'b' }], next_cursor: 'b' });
    expect(s.initial).toBe(false);
    expect(hasMore(s)).toBe(true);
    s = appendPage(s, { items: [{ id: 'a' }], next_cursor: null });
    expect(s.items.map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect(hasMore(s)).toBe(false);
  });

  it('drops items already shown (a new job shifts the pages)', () => {
    let s = appendPage(emptyPaged<Item>(), { items: [{ id: 'c' }, { id: 'b' }], next_cursor: 'x' });
    s = appendPage(s, { items: [{ id: 'b' }, { id: 'a' }], next_cursor: null });
    expect(s.items.map((i) => i.id)).toEqual(['c', 'b', 'a']);
  });

  it('prepends a new item once, removes one', () => {
    let s = appendPage(emptyPaged<Item>(), { items: [{ id: 'a' }], next_cursor: null });
    s = prependItem(s, { id: 'b' });
    expect(prependItem(s, { id: 'b' })).toBe(s);
    expect(s.items.map((i) => i.id)).toEqual(['b', 'a']);
    expect(removeItem(s, 'b').items.map((i) => i.id)).toEqual(['a']);
  });

  it('replaceItems keeps the state when nothing changed (no re-render)', () => {
    const s = appendPage(emptyPaged<Item>(), { items: [{ id: 'a' }], next_cursor: null });
    expect(replaceItems(s, s.items)).toBe(s);
    expect(replaceItems(s, [{ id: 'a', v: 1 }]).items[0]?.v).toBe(1);
  });
});
