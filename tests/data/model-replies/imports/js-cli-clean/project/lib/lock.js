export default async function lock(work) {
  return work();
}
