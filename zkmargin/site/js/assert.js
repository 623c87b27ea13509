// circomlibjs's Poseidon imports Node's assert; in the browser bundle this stands in for it.
export default function assert(condition, message) {
  if (!condition) throw new Error(message || "assertion failed");
}
