// The part of xml2js (0.6, onvif's XML parser) that gateway/discovery uses; the package ships no types.
declare module 'xml2js' {
  export interface ParserOptions {
    tagNameProcessors?: Array<(name: string) => string>;
    explicitArray?: boolean;
    ignoreAttrs?: boolean;
    strict?: boolean;
  }
  export function parseStringPromise(xml: string, options?: ParserOptions): Promise<unknown>;
  export const processors: { stripPrefix: (name: string) => string };
  const xml2js: { parseStringPromise: typeof parseStringPromise; processors: typeof processors };
  export default xml2js;
}
