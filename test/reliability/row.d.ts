/** One row of the reliability table: the case, its verdict and its figure in words. */
export interface Row {
  case: string;
  ok: boolean;
  figure: string;
  failures?: string[];
}
