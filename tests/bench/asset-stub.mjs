// Benchmarks import route modules under tsx, which cannot load an asset import (a stylesheet or an
// image is a URL in the Remix build): here it is an empty string instead.
const ASSET = /\.(css|png|jpe?g|gif|svg|webp|ico|woff2?)$/;

export async function load(url, context, nextLoad) {
  if (ASSET.test(url)) return { format: "module", source: "export default '';", shortCircuit: true };
  return nextLoad(url, context);
}
