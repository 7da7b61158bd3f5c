export function validateSignup(form) {
  const errors = {};
  // ... your validation logic here ...
  return errors;
}

export async function submitSignup(form) {
  const response = await fetch("/api/signup", {
    method: "POST",
    body: JSON.stringify(form),
  });
  // ... handle errors ...
  return response.json();
}
