// Shapes shared between main.bicep and its modules. Each app setting the code reads (src/config.ts) has one field here,
// so adding a setting is a compile error until every layer passes it on.

@export()
@description('Recording defaults for calls the app starts recording (RECORDING_*). ACS accepts only some combinations: audioVideo is mixed mp4; unmixed audio is wav.')
type recordingSettings = {
  @description('RECORDING_AUTO_START: start recording when a call connects.')
  autoStart: bool
  @description('RECORDING_CONTENT')
  content: 'audio' | 'audioVideo'
  @description('RECORDING_CHANNEL')
  channel: 'mixed' | 'unmixed'
  @description('RECORDING_FORMAT; empty for the content\'s default (mp4 for audioVideo, wav for audio).')
  format: '' | 'wav' | 'mp3' | 'mp4'
  @description('RECORDING_PAUSE_ON_START')
  pauseOnStart: bool
  @description('RECORD_ON_CALL_STARTED: also start recording on Event Grid CallStarted (every ACS VoIP call on the resource).')
  onCallStarted: bool
  @description('CALL_STARTED_FILTER: comma list of groupCalls, roomsCalls, twoPartyCalls recorded on CallStarted; empty for all.')
  callStartedFilter: string
}

@export()
@description('How the app calls ACS and archives what ACS recorded (ACS_* and ARCHIVE_* settings).')
type appBehaviour = {
  @description('ACS_API_VERSION: Call Automation REST API version.')
  acsApiVersion: string
  @description('ACS_REQUEST_TIMEOUT_MS: per-request timeout for every ACS call.')
  acsRequestTimeoutMs: int
  @description('ACS_MAX_RETRIES: retries after the first attempt.')
  acsMaxRetries: int
  @description('ACS_OPENID_CONFIG_URL: where the ACS callback JWT signing keys are published.')
  acsOpenIdConfigUrl: string
  @description('ACS_MEDIA_ALLOWED_ORIGINS: comma-separated origins the app may download recordings from (SSRF guard).')
  mediaAllowedOrigins: string
  @description('DELETE_SOURCE_AFTER_ARCHIVE: delete the ACS copy once the archived copy is verified.')
  deleteSourceAfterArchive: bool
  @description('ARCHIVE_CHUNK_CONCURRENCY')
  archiveChunkConcurrency: int
  @description('ARCHIVE_BLOCK_SIZE_MIB')
  archiveBlockSizeMiB: int
  @description('ARCHIVE_TRANSFER_CONCURRENCY')
  archiveTransferConcurrency: int
  @description('ARCHIVE_RETRY_HORIZON_HOURS: hours after the event during which transient chunk failures are retried (1-23).')
  archiveRetryHorizonHours: int
  @description('DOWNLOAD_LINK_MINUTES: validity of a download link (user delegation SAS), 1-60.')
  downloadLinkMinutes: int
  @description('CONSOLE_ENABLED: serve the operator console at /api/console.')
  consoleEnabled: bool
  @description('STATE_TABLE_NAME: call/recording state table in host storage.')
  stateTableName: string
  @description('TASKHUB_NAME: Durable Functions task hub (host.json hubName).')
  taskHubName: string
  recording: recordingSettings
}
