import type { ImportWarning } from '../../domain/source.ts';
import type { PlanText } from './common.ts';
import type { OqosRow } from './types.ts';
export function parseOqos(_t: PlanText, _from: number): { rows: OqosRow[]; warnings: ImportWarning[] } { return { rows: [], warnings: [] }; }
