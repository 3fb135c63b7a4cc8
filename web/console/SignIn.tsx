// The sign-in box: the function key is typed once and kept in sessionStorage (keyStore.ts).
import { useState } from 'preact/hooks';
import { setKey } from './keyStore';

export function SignIn({ message, onSignedIn }: { message?: string; onSignedIn: () => void }) {
  const [key, setValue] = useState('');
  return (
    <main class="signin">
      <h1>Recording archiver console</h1>
      <form
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (!key.trim()) return;
          setKey(key.trim());
          onSignedIn();
        }}
      >
        <h2 id="signin-title">Sign in</h2>
        {message && <p class="error" role="alert">{message}</p>}
        <label for="function-key">Function key</label>
        <input id="function-key" name="function-key" type="password" autocomplete="off" required value={key} onInput={(e) => setValue(e.currentTarget.value)} />
        <p class="hint">The app's function key (or host key). It is sent as <code>x-functions-key</code> and kept only in this tab.</p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
