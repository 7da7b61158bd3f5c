Here is the updated `SettingsPage` component:

```tsx
import { useState } from "react";

type Props = { initialName: string; onSave: (name: string) => Promise<void> };

export function SettingsPage({ initialName, onSave }: Props) {
  const [name, setName] = useState(initialName);
  const [saving, setSaving] = useState(false);

  async function submit() {
    setSaving(true);
    await onSave(name);
    setSaving(false);
  }

  return (
    <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
      <input value={name} onChange={(event) => setName(event.target.value)} />
      {/* ... other fields ... */}
      <button disabled={saving}>Save</button>
    </form>
  );
}
```
