/** Rounds to a number of decimals (reports carry stable, readable values). */
export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
