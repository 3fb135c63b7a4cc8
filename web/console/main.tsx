// The operator console's entry: sign-in (a 401 brings it back), then the recordings list or one recording, chosen by
// the URL's hash (#/ or #/recordings/{id}) so the browser's back button works. No data is in the page itself.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './console.css';
import { onUnauthorized } from './api';
import { getKey, clearKey } from './keyStore';
import { RecordingDetail } from './RecordingDetail';
import { RecordingList } from './RecordingList';
import { SignIn } from './SignIn';

function currentRoute(): string | undefined {
  const m = /^#\/recordings\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return m?.[1];
}

function App() {
  const [signedIn, setSignedIn] = useState(getKey() !== undefined);
  const [message, setMessage] = useState<string>();
  const [recording, setRecording] = useState(currentRoute());

  useEffect(
    () =>
      onUnauthorized(() => {
        setMessage('The function key was refused (401). Enter a valid key.');
        setSignedIn(false);
      }),
    [],
  );
  useEffect(() => {
    const onHash = () => setRecording(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (!signedIn) {
    return (
      <SignIn
        message={message}
        onSignedIn={() => {
          setMessage(undefined);
          setSignedIn(true);
        }}
      />
    );
  }
  return (
    <>
      <header class="top">
        <span class="brand">Recording archiver</span>
        <button
          type="button"
          onClick={() => {
            clearKey();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      {recording ? (
        <RecordingDetail key={recording} id={recording} back={() => (location.hash = '#/')} />
      ) : (
        <RecordingList open={(id) => (location.hash = `#/recordings/${id}`)} />
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
