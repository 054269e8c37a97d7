// Vite's "?raw" suffix imports a file's text; the tests load .eml fixtures this way.
declare module "*.eml?raw" {
  const text: string;
  export default text;
}
