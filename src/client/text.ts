/** Cuts text to at most `max` characters, marking the cut, so no message carries a whole body. */
export const truncate = (text: string, max = 200): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`
