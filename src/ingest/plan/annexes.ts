import type { ImportWarning } from '../../domain/source.ts';
import type { PlanText } from './common.ts';
import type { ConsultationItem, MissingFigure, ParsedEngagement, PlanIndicator } from './types.ts';
export function parseAnnexes(_t: PlanText, _e: readonly ParsedEngagement[], _r: { planFrom: number; planTo: number }): { indicators: PlanIndicator[]; missingFigures: MissingFigure[]; consultationItems: ConsultationItem[]; warnings: ImportWarning[] } {
  return { indicators: [], missingFigures: [], consultationItems: [], warnings: [] };
}
