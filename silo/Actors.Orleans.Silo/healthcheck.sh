#!/bin/bash
# The Orleans silo's container health probe: GET <Actors:HealthPath> from the silo over loopback with bash's /dev/tcp
# (the aspnet image has neither curl nor wget; no second .NET process). Exit 0 when the silo answers 200 (the log is
# open and the silo active), 1 otherwise (503, nothing listening, no answer within 3 s). Prints
# "<url> -> <status line>: <body>" for `docker inspect`. Reads the silo's own variables: ACTORS__HTTPPORT (default
# 8080), ACTORS__HEALTHPATH (/health), ACTORS__HTTPBINDADDRESS (127.0.0.1; 0.0.0.0 and :: are probed on loopback).
port=${ACTORS__HTTPPORT:-8080}
path=${ACTORS__HEALTHPATH:-/health}
host=${ACTORS__HTTPBINDADDRESS:-127.0.0.1}
case "$host" in
  0.0.0.0) host=127.0.0.1 ;;
  ::|'[::]') host=::1 ;;
esac
url="http://$host:$port$path"
{ exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || { echo "$url -> unreachable (nothing listens on $host:$port)"; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 3 status <&3 || { echo "$url -> no answer within 3 s"; exit 1; }
status=${status%$'\r'}
IFS= read -r -d '' -t 3 rest <&3
body=${rest#*$'\r\n\r\n'}
echo "$url -> $status: ${body//$'\n'/ }"
case "$status" in
  'HTTP/1.'[01]' 200 '*) exit 0 ;;
  *) exit 1 ;;
esac
