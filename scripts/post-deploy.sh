#!/bin/sh
# azd postdeploy hook: subscribe the deployed `recordingFileStatusUpdated` function to ACS RecordingFileStatusUpdated
# events, and, when RECORD_ON_CALL_STARTED=true, the `callStartedEvents` function to CallStarted and CallEnded
# (infra/app/eventSubscription.bicep, deployed once per subscription).
#
# Why a second step: Event Grid validates the endpoint when a subscription is created, and the function only exists once
# `azd deploy` has uploaded the code, i.e. after `azd provision` has finished. So the first provision skips the
# subscription (DEPLOY_EVENT_SUBSCRIPTION=false), this hook creates it once the function is listed, and then sets
# DEPLOY_EVENT_SUBSCRIPTION=true so every later `azd provision` keeps it as part of main.bicep.
#
# Reads the azd environment (main.bicep outputs): AZURE_SUBSCRIPTION_ID, AZURE_FUNCTION_APP_NAME,
# AZURE_FUNCTION_APP_RESOURCE_ID, AZURE_FUNCTION_APP_HOST_NAME, AZURE_RESOURCE_GROUP, ACS_RESOURCE_GROUP,
# ACS_SYSTEM_TOPIC_NAME, EVENT_GRID_DEAD_LETTER_STORAGE_ID, EVENT_GRID_DEAD_LETTER_CONTAINER,
# EVENT_GRID_MAX_DELIVERY_ATTEMPTS, EVENT_GRID_EVENT_TTL_MINUTES, RECORD_ON_CALL_STARTED (optional, default false).
# Optional: EVENT_SUBSCRIPTION_ENDPOINT_TYPE=AzureFunction (default) | WebHook; SKIP_EVENT_SUBSCRIPTION=true;
# POST_DEPLOY_MAX_ATTEMPTS (default 20) and POST_DEPLOY_RETRY_DELAY_SECONDS (first delay, default 5, doubling to 60).
set -eu

TEMPLATE="$(cd "$(dirname "$0")/.." && pwd)/infra/app/eventSubscription.bicep"
ENDPOINT_TYPE="${EVENT_SUBSCRIPTION_ENDPOINT_TYPE:-AzureFunction}"
MAX_ATTEMPTS="${POST_DEPLOY_MAX_ATTEMPTS:-20}"
FIRST_DELAY="${POST_DEPLOY_RETRY_DELAY_SECONDS:-5}"

log() { printf 'post-deploy: %s\n' "$*" >&2; }
fail() {
  log "$*"
  exit 1
}

if [ "${SKIP_EVENT_SUBSCRIPTION:-false}" = "true" ]; then
  log "SKIP_EVENT_SUBSCRIPTION=true: not creating the Event Grid subscription"
  exit 0
fi

for name in AZURE_SUBSCRIPTION_ID AZURE_FUNCTION_APP_NAME AZURE_FUNCTION_APP_RESOURCE_ID AZURE_FUNCTION_APP_HOST_NAME \
  AZURE_RESOURCE_GROUP ACS_RESOURCE_GROUP ACS_SYSTEM_TOPIC_NAME EVENT_GRID_DEAD_LETTER_STORAGE_ID \
  EVENT_GRID_DEAD_LETTER_CONTAINER EVENT_GRID_MAX_DELIVERY_ATTEMPTS EVENT_GRID_EVENT_TTL_MINUTES; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name is not set: run this as the azd postdeploy hook, after \`azd provision\`"
done
case "$ENDPOINT_TYPE" in
  AzureFunction | WebHook) ;;
  *) fail "EVENT_SUBSCRIPTION_ENDPOINT_TYPE must be AzureFunction or WebHook, got '$ENDPOINT_TYPE'" ;;
esac
for name in EVENT_GRID_MAX_DELIVERY_ATTEMPTS EVENT_GRID_EVENT_TTL_MINUTES MAX_ATTEMPTS FIRST_DELAY; do
  eval "value=\${$name}"
  case "$value" in
    '' | *[!0-9]*) fail "$name must be a whole number, got '$value'" ;;
  esac
done
command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is not on PATH"

# retry DESCRIPTION COMMAND...: run COMMAND until it succeeds, at most MAX_ATTEMPTS times, waiting FIRST_DELAY seconds
# and doubling (capped at 60 s) between attempts. The host indexes functions a little after the deployment returns.
retry() {
  description="$1"
  shift
  attempt=1
  delay="$FIRST_DELAY"
  while ! "$@"; do
    [ "$attempt" -lt "$MAX_ATTEMPTS" ] || return 1
    log "$description: not yet (attempt $attempt of $MAX_ATTEMPTS), retrying in ${delay}s"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
    [ "$delay" -le 60 ] || delay=60
  done
}

function_is_listed() {
  az functionapp function show --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "$AZURE_FUNCTION_APP_NAME" --function-name "$1" --query name --output tsv >/dev/null 2>&1
}

# The system key exists only once the host has loaded the Event Grid extension; it is read into a variable, never echoed.
read_system_key() {
  SYSTEM_KEY="$(az functionapp keys list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "$AZURE_FUNCTION_APP_NAME" --query systemKeys.eventgrid_extension --output tsv 2>/dev/null)" || return 1
  [ -n "$SYSTEM_KEY" ]
}

case "${RECORD_ON_CALL_STARTED:-false}" in
  true | True | TRUE) RECORD_ON_CALL_STARTED=true ;;
  false | False | FALSE | '') RECORD_ON_CALL_STARTED=false ;;
  *) fail "RECORD_ON_CALL_STARTED must be true or false, got '$RECORD_ON_CALL_STARTED'" ;;
esac

# Parameters go in a file only this user can read, so a webhook key never shows up in a process listing.
umask 077
PARAMS_FILE="$(mktemp)"
trap 'rm -f "$PARAMS_FILE"' EXIT
trap 'exit 130' INT TERM
key_param=""

# subscribe FUNCTION SUBSCRIPTION EVENT_TYPES_JSON: wait until FUNCTION is listed, then deploy its subscription.
subscribe() {
  function_name="$1"
  subscription_name="$2"
  event_types="$3"
  retry "function $function_name listed on $AZURE_FUNCTION_APP_NAME" function_is_listed "$function_name" \
    || fail "function $function_name never appeared on $AZURE_FUNCTION_APP_NAME: check the deployment and the app's logs"
  # Once per run, after the first function is listed (the host has loaded the Event Grid extension by then).
  if [ "$ENDPOINT_TYPE" = "WebHook" ] && [ -z "$key_param" ]; then
    retry "eventgrid_extension system key" read_system_key \
      || fail "no eventgrid_extension system key on $AZURE_FUNCTION_APP_NAME (has the Event Grid trigger loaded?)"
    key_param=",
    \"eventGridSystemKey\": { \"value\": \"$SYSTEM_KEY\" }"
  fi
  cat >"$PARAMS_FILE" <<JSON
{
  "\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "systemTopicName": { "value": "$ACS_SYSTEM_TOPIC_NAME" },
    "name": { "value": "$subscription_name" },
    "functionAppResourceId": { "value": "$AZURE_FUNCTION_APP_RESOURCE_ID" },
    "functionAppHostName": { "value": "$AZURE_FUNCTION_APP_HOST_NAME" },
    "functionName": { "value": "$function_name" },
    "includedEventTypes": { "value": $event_types },
    "endpointType": { "value": "$ENDPOINT_TYPE" },
    "deadLetterStorageAccountId": { "value": "$EVENT_GRID_DEAD_LETTER_STORAGE_ID" },
    "deadLetterContainerName": { "value": "$EVENT_GRID_DEAD_LETTER_CONTAINER" },
    "maxDeliveryAttempts": { "value": $EVENT_GRID_MAX_DELIVERY_ATTEMPTS },
    "eventTimeToLiveInMinutes": { "value": $EVENT_GRID_EVENT_TTL_MINUTES }$key_param
  }
}
JSON
  log "subscribing $function_name ($ENDPOINT_TYPE) to $event_types on $ACS_SYSTEM_TOPIC_NAME"
  az deployment group create --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACS_RESOURCE_GROUP" \
    --name "$subscription_name-${AZURE_ENV_NAME:-azd}" --template-file "$TEMPLATE" \
    --parameters "@$PARAMS_FILE" --only-show-errors --output none
}

subscribe recordingFileStatusUpdated recording-file-status-updated '["Microsoft.Communication.RecordingFileStatusUpdated"]'
if [ "$RECORD_ON_CALL_STARTED" = "true" ]; then
  subscribe callStartedEvents call-started-events '["Microsoft.Communication.CallStarted", "Microsoft.Communication.CallEnded"]'
fi

# Hand the subscriptions over to main.bicep for later provisions. Not for WebHook: main.bicep cannot read the system key
# at deployment time, so it would replace the webhook with an AzureFunction endpoint.
if [ "$ENDPOINT_TYPE" = "AzureFunction" ]; then
  if command -v azd >/dev/null 2>&1; then
    azd env set DEPLOY_EVENT_SUBSCRIPTION true
  else
    log "azd is not on PATH: set DEPLOY_EVENT_SUBSCRIPTION=true in the environment yourself"
  fi
fi
log "done: ACS events now reach the app (dead letters go to container $EVENT_GRID_DEAD_LETTER_CONTAINER)"
