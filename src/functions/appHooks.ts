// App-level hooks: the settings are checked when the app starts and before every invocation (src/shared/settingsGuard.ts).
import { app } from '@azure/functions';
import { guardInvocation, reportSettingsAtStart } from '../shared/settingsGuard.js';

app.hook.appStart(() => {
  reportSettingsAtStart();
});
app.hook.preInvocation(guardInvocation);
