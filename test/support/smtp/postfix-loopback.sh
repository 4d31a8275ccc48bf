#!/usr/bin/env bash
# postfix-loopback.sh - a throw-away Postfix instance on 127.0.0.1 for the SMTP
# integration tests (test/integration/smtp). Adapted from ../shared/docs/postfix-loopback.sh:
# own base dir and ports (so it never collides with a hand-started instance), no bc,
# and packages are NOT installed from here unless PFX_INSTALL=1: CI installs them from
# .ci/apt-packages.txt (postfix preseeded to "No configuration"); missing ones -> exit 4.
# Written for Debian 12 (Postfix 3.7), run as root, no systemd.
#
#   postfix-loopback.sh start     install (if needed), (re)generate config, start
#   postfix-loopback.sh stop      stop the instance (idempotent)
#   postfix-loopback.sh status    exit 0 if running
#   postfix-loopback.sh selftest  run swaks against every port/trigger, print codes
#   postfix-loopback.sh clean     stop and delete $PFX_BASE
#
# Nothing ever leaves the machine: the instance listens on 127.0.0.1 only and
# every non-local transport is "error:" (relay is refused anyway).
#
# Ports (all on 127.0.0.1; override with env vars):
#   2525  plain SMTP, STARTTLS offered (may), AUTH after STARTTLS
#   10587 submission: STARTTLS required (530 before it), SASL AUTH required
#   10465 implicit TLS (wrapper mode), SASL AUTH required
#   2526  connection-count limit 1 (2nd concurrent connection -> 421 at banner)
#   2527  connection-rate limit 3/min (4th connect within 60 s -> 421 at banner)
#   2528  every client rejected at connect (554 sent as the greeting, smtpd_delay_reject=no)
#   2529  tarpit: 'sleep N' in client restrictions (slow reply -> client timeout)
#
# Recipient triggers (domain loopback.test, any port that accepts mail):
#   ok@ / alice@        accepted and delivered to $PFX_BASE/mail (Maildir)
#   nosuchuser@         550 5.1.1 user unknown
#   busy450@            450 4.2.1       greylist451@  451 4.7.1
#   full452@            452 4.2.2       reject550@    550 5.7.1
#   reject554@          554 5.7.1       bye421@       421 4.7.0 + disconnect
#   anything@example.com (unauthenticated) 554 5.7.1 Relay access denied
# Sender triggers:
#   datacmd554@loopback.test  -> 554 on the DATA command (before 354)
#   eod554@loopback.test      -> 554 after the final "." (end of data)
#   eod451@loopback.test      -> 451 after the final "."
# SASL user: alice@loopback.test / password "secret" (cyrus sasldb, no Dovecot).
set -euo pipefail

BASE=${PFX_BASE:-/run/mailmedic-smtp-pfx}
ADDR=${PFX_ADDR:-127.0.0.1}
P_SMTP=${PFX_PORT_SMTP:-12525}
P_SUB=${PFX_PORT_SUBMISSION:-12587}
P_SUBS=${PFX_PORT_SUBMISSIONS:-12465}
P_CONN=${PFX_PORT_CONNLIMIT:-12526}
P_RATE=${PFX_PORT_RATELIMIT:-12527}
P_REJ=${PFX_PORT_REJECTALL:-12528}
P_SLOW=${PFX_PORT_TARPIT:-12529}
TARPIT_SECONDS=${PFX_TARPIT_SECONDS:-20}
DOMAIN=loopback.test
HOST=mail.loopback.test
ETC=$BASE/etc
T0=$(date +%s%N)

log() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '[postfix-loopback %6dms] %s\n' "$ms" "$*"; }

ensure_packages() {
  local missing=()
  for b in /usr/sbin/postfix /usr/sbin/postmap /usr/sbin/saslpasswd2 /usr/bin/openssl; do
    [ -x "$b" ] || missing+=("$b")
  done
  compgen -G '/usr/lib/*/sasl2/libplain.so' >/dev/null || missing+=(libsasl2-modules)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${PFX_INSTALL:-0}" != 1 ]; then
    echo "postfix-loopback: missing ${missing[*]} (install the packages in .ci/apt-packages.txt, or set PFX_INSTALL=1)" >&2
    exit 4
  fi
  log "installing packages (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # "No configuration": the package must not create/start a default instance.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string $HOST" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -q --no-install-recommends postfix swaks sasl2-bin libsasl2-modules \
    libsasl2-modules-db openssl libnet-ssleay-perl libio-socket-ssl-perl \
    libauthen-sasl-perl libnet-dns-perl >/dev/null
}

write_config() {
  mkdir -p "$ETC/sasl" "$BASE/spool" "$BASE/data" "$BASE/log" "$BASE/mail"
  chown postfix:postfix "$BASE/data"
  chown nobody:nogroup "$BASE/mail"

  if [ ! -s "$ETC/tls.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$HOST" \
      -addext "subjectAltName=DNS:$HOST,DNS:localhost,IP:127.0.0.1" \
      -keyout "$ETC/tls.key" -out "$ETC/tls.crt" 2>/dev/null
    cat "$ETC/tls.key" "$ETC/tls.crt" > "$ETC/tls.pem"
    chmod 600 "$ETC/tls.key" "$ETC/tls.pem"
  fi

  cat > "$ETC/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $BASE/spool
data_directory = $BASE/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = /var, /dev/stdout, $BASE
maillog_file = $BASE/log/maillog
syslog_name = postfix-loopback

myhostname = $HOST
mydomain = $DOMAIN
myorigin = \$mydomain
inet_interfaces = $ADDR
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relay_domains =
smtpd_banner = \$myhostname ESMTP loopback-test
biff = no
smtputf8_enable = no
message_size_limit = 1048576
smtpd_error_sleep_time = 0

# never deliver anywhere but the local Maildir sink
default_transport = error:loopback test instance does not relay
relay_transport = error:loopback test instance does not relay
local_transport = error:no local delivery
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $BASE/mail
virtual_mailbox_maps = hash:$ETC/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100

# TLS (self-signed)
smtpd_tls_chain_files = $ETC/tls.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes

# SASL via Cyrus sasldb (no Dovecot)
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $ETC/sasl
smtpd_sasl_auth_enable = yes
smtpd_tls_auth_only = yes
smtpd_sasl_security_options = noanonymous

# loopback is normally exempt from anvil limits; the limit ports clear this
smtpd_client_event_limit_exceptions = \$mynetworks
anvil_rate_time_unit = 60s

smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access hash:$ETC/rcpt_access
smtpd_data_restrictions = check_sender_access hash:$ETC/data_access
smtpd_end_of_data_restrictions = check_sender_access hash:$ETC/eod_access
EOF

  cat > "$ETC/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
$ADDR:$P_SMTP inet n - n - - smtpd
  -o syslog_name=postfix-loopback/smtp
$ADDR:$P_SUB inet n - n - - smtpd
  -o syslog_name=postfix-loopback/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$ADDR:$P_SUBS inet n - n - - smtpd
  -o syslog_name=postfix-loopback/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$ADDR:$P_CONN inet n - n - - smtpd
  -o syslog_name=postfix-loopback/connlimit
  -o smtpd_client_event_limit_exceptions=
  -o smtpd_client_connection_count_limit=1
$ADDR:$P_RATE inet n - n - - smtpd
  -o syslog_name=postfix-loopback/ratelimit
  -o smtpd_client_event_limit_exceptions=
  -o smtpd_client_connection_rate_limit=3
$ADDR:$P_REJ inet n - n - - smtpd
  -o syslog_name=postfix-loopback/rejectall
  -o smtpd_delay_reject=no
  -o smtpd_client_restrictions=reject
$ADDR:$P_SLOW inet n - n - - smtpd
  -o syslog_name=postfix-loopback/tarpit
  -o smtpd_delay_reject=no
  -o { smtpd_client_restrictions = sleep $TARPIT_SECONDS, permit }
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

  cat > "$ETC/vmailbox" <<EOF
ok@$DOMAIN        $DOMAIN/ok/
alice@$DOMAIN     $DOMAIN/alice/
busy450@$DOMAIN   $DOMAIN/ok/
greylist451@$DOMAIN $DOMAIN/ok/
full452@$DOMAIN   $DOMAIN/ok/
reject550@$DOMAIN $DOMAIN/ok/
reject554@$DOMAIN $DOMAIN/ok/
bye421@$DOMAIN    $DOMAIN/ok/
EOF
  cat > "$ETC/rcpt_access" <<EOF
busy450@$DOMAIN     450 4.2.1 Mailbox busy, try again later
greylist451@$DOMAIN 451 4.7.1 Greylisted, please try again later
full452@$DOMAIN     452 4.2.2 Mailbox full
reject550@$DOMAIN   550 5.7.1 Rejected by local policy
reject554@$DOMAIN   554 5.7.1 Transaction failed by local policy
bye421@$DOMAIN      421 4.7.0 Service not available, closing transmission channel
EOF
  cat > "$ETC/data_access" <<EOF
datacmd554@$DOMAIN  554 5.7.1 DATA refused by local policy
EOF
  cat > "$ETC/eod_access" <<EOF
eod554@$DOMAIN      554 5.7.1 Message content rejected
eod451@$DOMAIN      451 4.3.0 Temporary local problem, try again later
EOF
  for m in vmailbox rcpt_access data_access eod_access; do postmap -c "$ETC" "hash:$ETC/$m"; done

  cat > "$ETC/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN CRAM-MD5
sasldb_path: $ETC/sasldb2
EOF
  rm -f "$ETC/sasldb2"
  echo -n secret | saslpasswd2 -p -c -f "$ETC/sasldb2" -u "$DOMAIN" alice
  chown root:postfix "$ETC/sasldb2"; chmod 640 "$ETC/sasldb2"
}

is_running() { postfix -c "$ETC" status >/dev/null 2>&1; }

wait_port() { # wait until a TCP port accepts (bounded)
  local i; for i in $(seq 1 50); do
    (exec 3<>"/dev/tcp/$ADDR/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

do_start() {
  ensure_packages
  log "packages ok"
  if [ -d "$ETC" ] && is_running; then log "already running, stopping first"; do_stop; fi
  write_config
  log "config written to $ETC"
  postfix -c "$ETC" check
  postfix -c "$ETC" start
  wait_port "$P_SMTP"; wait_port "$P_SUBS"
  log "started (log: $BASE/log/maillog)"
}

do_stop() {
  if [ -f "$ETC/main.cf" ] && is_running; then
    postfix -c "$ETC" stop >/dev/null 2>&1 || true
    local i; for i in $(seq 1 50); do is_running || break; sleep 0.1; done
    if is_running; then postfix -c "$ETC" abort || true; fi
    log "stopped"
  else
    log "not running"
  fi
}

code_of() { # first 4xx/5xx reply seen, else the last reply before QUIT
  grep -E '^ *<[-~*]* +[0-9]{3}[ -]' | sed -E 's/^ *<[-~*]* +//' | grep -E '^[0-9]{3} ' |
    awk '/^[45]/ { print; bad=1; exit } !/^221 / { last=$0 } END { if (!bad) print last }'
}

do_selftest() {
  is_running || { echo "not running"; exit 1; }
  local S="swaks --timeout 10 --server $ADDR"
  local H="--helo client.loopback.test"
  run() { local label=$1; shift; local out rc=0; out=$("$@" 2>&1) || rc=$?;
          printf '%-44s rc=%-3s %s\n' "$label" "$rc" "$(printf '%s\n' "$out" | code_of)"; }
  run "2525 plain ok"              $S --port $P_SMTP $H -f x@$DOMAIN -t ok@$DOMAIN
  run "2525 STARTTLS ok"           $S --port $P_SMTP $H -tls -f x@$DOMAIN -t ok@$DOMAIN
  run "2525 unknown user 550"      $S --port $P_SMTP $H -f x@$DOMAIN -t nosuchuser@$DOMAIN
  run "2525 relay denied 554"      $S --port $P_SMTP $H -f x@$DOMAIN -t someone@example.com
  run "2525 rcpt 450"              $S --port $P_SMTP $H -f x@$DOMAIN -t busy450@$DOMAIN
  run "2525 rcpt 451"              $S --port $P_SMTP $H -f x@$DOMAIN -t greylist451@$DOMAIN
  run "2525 rcpt 452"              $S --port $P_SMTP $H -f x@$DOMAIN -t full452@$DOMAIN
  run "2525 rcpt 550"              $S --port $P_SMTP $H -f x@$DOMAIN -t reject550@$DOMAIN
  run "2525 rcpt 554"              $S --port $P_SMTP $H -f x@$DOMAIN -t reject554@$DOMAIN
  run "2525 rcpt 421+disconnect"   $S --port $P_SMTP $H -f x@$DOMAIN -t bye421@$DOMAIN
  run "2525 DATA cmd 554"          $S --port $P_SMTP $H -f datacmd554@$DOMAIN -t ok@$DOMAIN
  run "2525 end-of-data 554"       $S --port $P_SMTP $H -f eod554@$DOMAIN -t ok@$DOMAIN
  run "2525 end-of-data 451"       $S --port $P_SMTP $H -f eod451@$DOMAIN -t ok@$DOMAIN
  run "10587 no STARTTLS -> 530"   $S --port $P_SUB $H -f x@$DOMAIN -t ok@$DOMAIN
  run "10587 TLS, no AUTH -> 554"  $S --port $P_SUB $H -tls -f x@$DOMAIN -t someone@example.com
  run "10587 TLS+AUTH bad pw 535"  $S --port $P_SUB $H -tls -a PLAIN -au alice@$DOMAIN -ap wrong -f alice@$DOMAIN -t ok@$DOMAIN
  run "10587 TLS+AUTH PLAIN ok"    $S --port $P_SUB $H -tls -a PLAIN -au alice@$DOMAIN -ap secret -f alice@$DOMAIN -t ok@$DOMAIN
  run "10587 TLS+AUTH LOGIN ok"    $S --port $P_SUB $H -tls -a LOGIN -au alice@$DOMAIN -ap secret -f alice@$DOMAIN -t ok@$DOMAIN
  run "10465 implicit TLS+AUTH ok" $S --port $P_SUBS $H -tlsc -a PLAIN -au alice@$DOMAIN -ap secret -f alice@$DOMAIN -t ok@$DOMAIN
  run "10465 plain (no TLS) -> fails" $S --port $P_SUBS $H --timeout 3 -f x@$DOMAIN -t ok@$DOMAIN
  # 421 on connection count: hold one connection open, then connect again
  ( exec 3<>"/dev/tcp/$ADDR/$P_CONN"; sleep 3 ) & local holder=$!
  sleep 0.5
  run "2526 2nd concurrent conn -> 421" $S --port $P_CONN $H -f x@$DOMAIN -t ok@$DOMAIN
  kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  local i; for i in 1 2 3 4; do
    run "2527 connect #$i within 60s"   $S --port $P_RATE $H --quit-after EHLO
  done
  run "2528 reject-all at connect"  $S --port $P_REJ $H -f x@$DOMAIN -t ok@$DOMAIN
  run "2529 tarpit, client timeout 3s" $S --port $P_SLOW $H --timeout 3 -f x@$DOMAIN -t ok@$DOMAIN
  echo "delivered messages: $(find "$BASE/mail" -type f -path '*/new/*' | wc -l)"
}

case "${1:-}" in
  start) do_start ;;
  stop) [ -d "$ETC" ] && do_stop || log "nothing to stop" ;;
  restart) do_stop || true; do_start ;;
  status) is_running && { echo running; exit 0; } || { echo stopped; exit 3; } ;;
  selftest) do_selftest ;;
  clean) [ -d "$ETC" ] && do_stop || true; rm -rf "$BASE"; log "removed $BASE" ;;
  *) echo "usage: $0 start|stop|restart|status|selftest|clean" >&2; exit 2 ;;
esac
