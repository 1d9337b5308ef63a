// Offsets of lines in a text, for code that edits text by offsets. A line is its content plus
// the line break that ends it (none for an unterminated last line).

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  // lastIndexOf reads a negative position as 0, where a line break would be found before offset 0
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1
}

/** The offset just past the line break ending the line that holds `offset` (the text's end when none does). */
export function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset)
  return newline < 0 ? text.length : newline + 1
}

/** The column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset)
}

/** Lines with their line breaks attached, so joining them gives the text back exactly. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}
