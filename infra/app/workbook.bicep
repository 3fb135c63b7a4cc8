// The operator's dashboard: an Azure Monitor workbook on Application Insights (recordings started and archived,
// bytes, failures by reason, archive lag percentiles, retries, recent ArchiveFailed rows). Its queries live in
// workbook.json and use only the names in src/shared/telemetryNames.json (test/infra/telemetryNames.test.ts).

@description('Workbook display name.')
param displayName string

@description('Region (that of Application Insights).')
param location string

@description('Tags.')
param tags { *: string }

@description('Application Insights the workbook reads.')
param applicationInsightsName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Stable per Application Insights, so a re-provision updates the same workbook.
  name: guid(applicationInsights.id, 'recording-archiver-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(loadJsonContent('workbook.json'))
    version: 'Notebook/1.0'
  }
}

output id string = workbook.id
output portalUrl string = '${environment().portal}/#resource${workbook.id}/workbook'
