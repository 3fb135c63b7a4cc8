// Alerts: someone is told within minutes when a recording may be lost (ACS keeps the files for about 24 hours).
// One action group (e-mail receivers from ALERT_EMAILS; none when empty, but every rule still exists and shows in
// the portal) and one rule per failure mode; README "Operating it" has the runbook line of each.
// Log queries match the names the app emits: src/shared/telemetryNames.json, loaded here, is the one list of them.

@description('Prefix of the action group and alert rule names (the resource token).')
param namePrefix string

@description('Region of the scheduled query rules (that of Application Insights).')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('ALERT_EMAILS: comma-separated e-mail addresses notified by every alert; empty for none.')
param alertEmails string

@description('Application Insights the app reports to (scope of the log and request alerts).')
param applicationInsightsName string

@description('Resource id of the ACS Event Grid system topic (scope of the delivery alerts; may be in another resource group).')
param systemTopicResourceId string

@description('ALERT_ARCHIVE_LAG_HOURS: alert when a recording whose archive started this many hours ago has not finished.')
@minValue(1)
@maxValue(23)
param archiveLagHours int

@description('Failed function executions in 15 minutes above which the function failures alert fires.')
@minValue(0)
param functionFailureThreshold int

@description('Failed Event Grid delivery attempts in 15 minutes above which the delivery alert fires.')
@minValue(0)
param deliveryFailureThreshold int

var names = loadJsonContent('../../src/shared/telemetryNames.json')
var emails = filter(map(split(alertEmails, ','), e => trim(e)), e => !empty(e))

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-archive'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'recarchive'
    enabled: true
    emailReceivers: map(emails, (email, i) => {
      name: 'email-${i}'
      emailAddress: email
      useCommonAlertSchema: true
    })
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Event Grid (platform metrics of the ACS system topic)
// ---------------------------------------------------------------------------------------------------------------------

var metricRules = [
  {
    key: 'dead-lettered'
    severity: 1
    description: 'A RecordingFileStatusUpdated event was dead-lettered: its recording is not being archived. Replay it (npm run replay-dead-letters) once the cause is fixed.'
    metricName: 'DeadLetteredCount'
    windowSize: 'PT5M'
    evaluationFrequency: 'PT5M'
    threshold: 0
  }
  {
    key: 'dropped'
    severity: 0
    description: 'Event Grid dropped a recording event without dead-lettering it (the dead-letter container was unreachable): that recording is lost unless it is re-driven by hand.'
    metricName: 'DroppedEventCount'
    windowSize: 'PT5M'
    evaluationFrequency: 'PT5M'
    threshold: 0
  }
  {
    key: 'delivery-failures'
    severity: 2
    description: 'Event Grid keeps failing to deliver recording events to the function (sustained over 15 minutes): they will be dead-lettered once their retries run out.'
    metricName: 'DeliveryAttemptFailCount'
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    threshold: deliveryFailureThreshold
  }
]

resource eventGridAlerts 'Microsoft.Insights/metricAlerts@2026-01-01' = [
  for rule in metricRules: {
    name: '${namePrefix}-${rule.key}'
    location: 'global'
    tags: tags
    properties: {
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [systemTopicResourceId]
      evaluationFrequency: rule.evaluationFrequency
      windowSize: rule.windowSize
      autoMitigate: true
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: rule.metricName
            metricNamespace: 'Microsoft.EventGrid/systemTopics'
            metricName: rule.metricName
            timeAggregation: 'Total'
            operator: 'GreaterThan'
            threshold: rule.threshold
          }
        ]
      }
      actions: [{ actionGroupId: actionGroup.id }]
    }
  }
]

// ---------------------------------------------------------------------------------------------------------------------
// The app (Application Insights)
// ---------------------------------------------------------------------------------------------------------------------

// Function executions that failed (the host records each one as a failed request; requests are never sampled).
resource functionFailuresAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'More than ${functionFailureThreshold} function executions failed in 15 minutes. Look at the failures in Application Insights; archive failures are retried and alerted on separately.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'requests-failed'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: functionFailureThreshold
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

// The app's log lines are `<message> <JSON fields>` in traces.message (src/shared/logging.ts).
var archiveFailedPrefix = '${names.logs.archiveFailed} {'
var startedPrefix = '${names.logs.archiveStarted} {'
var finishedPrefix = '${names.logs.archiveFinished} {'

var archiveFailedQuery = join(
  [
    'traces'
    '| where message startswith "${archiveFailedPrefix}"'
    '| extend fields = parse_json(substring(message, ${length(archiveFailedPrefix) - 1}))'
    '| project timestamp, recordingId = tostring(fields.${names.attributes.recordingId}), serverCallId = tostring(fields.${names.attributes.serverCallId}), chunkIndex = toint(fields.${names.attributes.chunkIndex}), message'
  ],
  '\n'
)

// "Oldest recording not yet archived": an archive that logged its start more than archiveLagHours ago and has not
// logged its end. The start line is written when the orchestration is started for a delivered event, the end line
// when the orchestration has settled every chunk and written the manifest (whatever the outcome: failures alert on
// their own). A recording whose event never arrives is covered by the Event Grid alerts.
var archiveLagQuery = join(
  [
    'let started = traces'
    '| where message startswith "${startedPrefix}"'
    '| extend fields = parse_json(substring(message, ${length(startedPrefix) - 1}))'
    '| project startedAt = timestamp, instanceId = tostring(fields.instanceId), recordingId = tostring(fields.${names.attributes.recordingId}), serverCallId = tostring(fields.${names.attributes.serverCallId});'
    'let finished = traces'
    '| where message startswith "${finishedPrefix}"'
    '| extend fields = parse_json(substring(message, ${length(finishedPrefix) - 1}))'
    '| project instanceId = tostring(fields.instanceId);'
    'started'
    '| where startedAt < ago(${archiveLagHours}h)'
    '| join kind=leftanti finished on instanceId'
    '| summarize startedAt = min(startedAt) by instanceId, recordingId, serverCallId'
  ],
  '\n'
)

// ACS answering 429 to the app's own requests: REST calls (retried by the ACS client) and downloads (resumed by the
// transfer engine), both honouring Retry-After.
var acsThrottlingQuery = join(
  [
    'customMetrics'
    '| where name == "${names.metrics.retries.name}"'
    '| where tostring(customDimensions.${names.attributes.layer}) in ("acs-http", "source-resume") and tostring(customDimensions.${names.attributes.reason}) == "429"'
  ],
  '\n'
)

var logRules = [
  {
    key: 'archive-failed'
    severity: 1
    description: 'A chunk was given up (${names.logs.archiveFailed}): it is not archived and its source is kept at ACS for about 24 hours. Fix the cause, then re-drive the recording (POST /api/recordings/{id}/archive).'
    query: archiveFailedQuery
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: 0
    failingPeriods: 1
  }
  {
    key: 'archive-lag'
    severity: 1
    description: 'A recording whose archive started more than ${archiveLagHours} hours ago is still not archived (ALERT_ARCHIVE_LAG_HOURS); ACS deletes its files about 24 hours after the call.'
    query: archiveLagQuery
    windowSize: 'P1D'
    evaluationFrequency: 'PT15M'
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: 0
    failingPeriods: 1
  }
  {
    key: 'acs-throttling'
    severity: 2
    description: 'ACS has been throttling the app (HTTP 429) in each of the last three 5-minute periods: archives and recording starts slow down. Lower FUNCTION_MAXIMUM_INSTANCES or ARCHIVE_CHUNK_CONCURRENCY, or ask for a higher ACS quota.'
    query: acsThrottlingQuery
    windowSize: 'PT5M'
    evaluationFrequency: 'PT5M'
    timeAggregation: 'Total'
    metricMeasureColumn: 'valueSum'
    threshold: 0
    failingPeriods: 3
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in logRules: {
    name: '${namePrefix}-${rule.key}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${namePrefix}-${rule.key}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [applicationInsights.id]
      evaluationFrequency: rule.evaluationFrequency
      windowSize: rule.windowSize
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.timeAggregation
            metricMeasureColumn: rule.metricMeasureColumn
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: rule.failingPeriods
              minFailingPeriodsToAlert: rule.failingPeriods
            }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]

output actionGroupId string = actionGroup.id
output alertRuleNames string[] = concat(
  map(metricRules, r => '${namePrefix}-${r.key}'),
  ['${namePrefix}-function-failures'],
  map(logRules, r => '${namePrefix}-${r.key}')
)
