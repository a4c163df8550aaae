/** Synthesis documents: build from stored data, keep editorial parts, verify, render. */
export * from './model.ts';
export { agree, agreeInlines, isPlural } from './agree.ts';
export { buildSynthesis, formatMeetingDate, quoteText, MEETING_KIND_LABELS, type BuildOptions } from './build.ts';
export { verifySynthesis, assertVerified, looseText, SynthesisVerificationError, type VerificationFailure, type VerificationResult, type VerifyOptions } from './verify.ts';
export { saveSynthesis, loadSynthesis, loadEditorial, saveEditorial, listSyntheses, normaliseEditorial } from './persist.ts';
export {
  renderSynthesis, renderUnverified, publishSynthesis, renderJson, SYNTHESIS_FORMATS, FORMAT_INFO,
  type SynthesisFormat, type RenderOptions, type Rendered, type PublishOptions,
} from './render/index.ts';
export { renderHtml } from './render/html.ts';
export { renderMarkdown } from './render/markdown.ts';
export { renderDocx } from './render/docx.ts';
export { htmlToPdf, renderPdf } from './render/pdf.ts';
export { chromiumAvailable, launchBrowser, CHROMIUM_PATH } from './render/browser.ts';
export { placeholderProblems, describeFailures, publicationProblems, PublicationRefusedError, type PublicationProblem } from './publication.ts';
export { dataChangesSince, type DataChanges } from './basis.ts';
