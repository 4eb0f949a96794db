# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hooktool_global_optspecs
    string join \n color= providers= h/help V/version
end

function __fish_hooktool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hooktool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hooktool_using_subcommand
    set -l cmd (__fish_hooktool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hooktool -n "__fish_hooktool_needs_command" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_needs_command" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_needs_command" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_needs_command" -s V -l version -d 'Print version'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "events" -d 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider\'s documents are silent'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "schema" -d 'Print an event\'s JSON Schema (draft 2020-12)'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "generate" -d 'Build a realistic sample event, signed exactly as its provider signs it'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "send" -d 'Deliver events to a local endpoint, retrying on the provider\'s curve'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "verify" -d 'Verify captured requests and explain every failure'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "validate" -d 'Validate JSON files against the event schemas and the providers\' rules'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "listen" -d 'Run a local receiver that captures every delivery before answering it'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "demo" -d 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "probe" -d 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "providers" -d 'List the provider packs loaded and where each came from, or check a pack folder'
complete -c hooktool -n "__fish_hooktool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hooktool -n "__fish_hooktool_using_subcommand events" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand events" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand events" -l json -d 'Print the catalogue as one JSON document'
complete -c hooktool -n "__fish_hooktool_using_subcommand events" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand schema" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand schema" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand schema" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l secret -d 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l seed -d 'Seed for the sample data: the same seed, --now and secret give byte-identical output' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l now -d 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l set -d 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l unset -d 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l body -d 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l private-key -d 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l auth -d 'Beedeez: the endpoint\'s authentication method. The credential comes from --secret' -r -f -a "none\t'No credential'
bearer\t'`Authorization: Bearer <token>`'
basic\t'`Authorization: Basic base64(user:pass)`; the secret is `user:pass`'
api-key\t'The key in a named header (--api-key-header)'"
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l api-key-header -d 'Header carrying the key for `--auth api-key` [default: the provider\'s; Beedeez: X-API-Key, assumed]' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l format -d 'Output: json (method, headers, body), http (raw HTTP/1.1 request), body (the body bytes), curl (a ready-to-run command), payload (the event document; for Wix, decoded from the JWT)' -r -f -a "json\t''
http\t''
body\t''
curl\t''
payload\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l to -d 'Where the `http` and `curl` formats address the request (same forms as `send --to`); a URL\'s user:password@ becomes the Authorization: Basic header they carry' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l secret -d 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l seed -d 'Seed for the sample data: the same seed, --now and secret give byte-identical output' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l now -d 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l set -d 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l unset -d 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l body -d 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l private-key -d 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l auth -d 'Beedeez: the endpoint\'s authentication method. The credential comes from --secret' -r -f -a "none\t'No credential'
bearer\t'`Authorization: Bearer <token>`'
basic\t'`Authorization: Basic base64(user:pass)`; the secret is `user:pass`'
api-key\t'The key in a named header (--api-key-header)'"
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l api-key-header -d 'Header carrying the key for `--auth api-key` [default: the provider\'s; Beedeez: X-API-Key, assumed]' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l to -d 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL\'s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l retry -d 'Retry curve: cativa, wix, beedeez (its backoff is assumed: 1s, 2s, 4s, then 6s), none, or delays such as 1s,5s,30s (default: the event\'s provider curve). A provider curve brings that provider\'s success rule, permanent statuses, Retry-After rule and timeout; none and custom lists keep the event provider\'s' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l time-scale -d 'Multiply every retry delay by F (0.001 turns 30s into 30ms); timeouts are not scaled. Delays run from the end of the previous attempt' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l timeout -d 'Per-attempt timeout (default: the provider\'s: Cativa 10s (assumed), Wix 1250ms, Beedeez 5s)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l count -d 'Send N distinct events' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l concurrency -d 'Requests in flight at once; an event waiting for its next retry holds none (default: 5 for Beedeez, as documented; 1 otherwise)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l cacert -d 'HTTPS targets: also trust the CA certificates in this PEM file, besides the system\'s store (e.g. a local receiver\'s own CA). Ignored for http targets' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l allow-remote -d 'Allow targets that are not loopback addresses'
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l insecure -d 'HTTPS targets: accept any certificate, even an untrusted, expired or mismatched one (like curl -k); the traffic is still encrypted but the receiver unauthenticated. Ignored for http targets'
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -l json -d 'Print a JSON report of every attempt on stdout'
complete -c hooktool -n "__fish_hooktool_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l secret -d 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l secret-file -d 'Read a secret from a file (one trailing newline is ignored). Repeatable' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l public-key -d 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool\'s development key)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l tolerance -d 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack\'s `signing.tolerance` for its scheme]' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l scheme -d 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`' -r -f -a "cativa\t''
stripe\t''
standard\t''
github\t''
wix\t''
beedeez\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l now -d 'The verification time, as Unix seconds (default: now)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l header -d 'A request header, `Name: value` (with --body, instead of INPUT). Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l body -d 'The request body file, byte for byte (with --header)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l max-input -d 'Largest input read, per INPUT file, stdin or --body file, e.g. 4GiB, 512MiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l strict -d 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)'
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l explain -d 'Show the signed message\'s first bytes and the expected signature'
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -l json -d 'Print the results as JSON on stdout'
complete -c hooktool -n "__fish_hooktool_using_subcommand verify" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l event -d 'Validate every file as this event (default: from the path, else from the document\'s shape)' -r -f -a "user_created\t''
user_joined_group\t''
user_received_badge\t''
post_created\t''
wix.badges.v4.badge_created\t''
badge_created\t''
wix.badges.v4.badge_updated\t''
badge_updated\t''
wix.badges.v4.badge_deleted\t''
badge_deleted\t''
wix.badges.v4.badge_assignment_created\t''
badge_assignment_created\t''
wix.badges.v4.badge_assignment_deleted\t''
badge_assignment_deleted\t''
certificate_completed\t''
certificate_expired\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l format -d 'Report format' -r -f -a "text\t''
json\t''
junit\t''
github\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l max-input -d 'Largest file read, per file or stdin, e.g. 256MiB, 512KiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l expect-invalid -d 'Succeed only when every file is invalid (for negative fixtures)'
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -l strict -d 'Treat broken assumptions (warnings that say "assumed": facts the provider does not document) as errors'
complete -c hooktool -n "__fish_hooktool_using_subcommand validate" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l port -d 'Port to listen on; 0 picks a free one' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l bind -d 'Address to bind: an IP address such as 127.0.0.1, ::1 or [::1], 0.0.0.0 or :: for other machines, or localhost (127.0.0.1)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l secret -d 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l secret-file -d 'Read a secret from a file (one trailing newline is ignored). Repeatable' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l public-key -d 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool\'s development key)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l tolerance -d 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack\'s `signing.tolerance` for its scheme]' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l scheme -d 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`' -r -f -a "cativa\t''
stripe\t''
standard\t''
github\t''
wix\t''
beedeez\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l respond -d 'Statuses for successive requests, e.g. 503,503,200 (the last one repeats); 200 to 599' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l out -d 'Append capture records (JSON Lines) to this file (default: stdout)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l expect -d 'Exit after N requests: 0 when all verified (or no secret given), 1 otherwise' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l timeout -d 'With --expect: exit 1 when fewer requests arrive within this time. Without: stop after it, exit 0 when every request verified (or no secret was given), 1 otherwise' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l max-body -d 'Largest body accepted, e.g. 10MiB, 512KiB, 1MB or 4096 (bytes); larger requests are answered 413 (and recorded without their body)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -l strict -d 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)'
complete -c hooktool -n "__fish_hooktool_using_subcommand listen" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand demo" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand demo" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand demo" -l keep -d 'Keep the demo\'s workspace (capture file, secret and token) and show commands that replay it; without this it is removed when the demo ends'
complete -c hooktool -n "__fish_hooktool_using_subcommand demo" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l secret -d 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l seed -d 'Seed for the sample data: the same seed, --now and secret give byte-identical output' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l now -d 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l set -d 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l unset -d 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l body -d 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l private-key -d 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l auth -d 'Beedeez: the endpoint\'s authentication method. The credential comes from --secret' -r -f -a "none\t'No credential'
bearer\t'`Authorization: Bearer <token>`'
basic\t'`Authorization: Basic base64(user:pass)`; the secret is `user:pass`'
api-key\t'The key in a named header (--api-key-header)'"
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l api-key-header -d 'Header carrying the key for `--auth api-key` [default: the provider\'s; Beedeez: X-API-Key, assumed]' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l to -d 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL\'s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l scheme -d 'What the receiver verifies, for Cativa events: cativa (default), or the same event signed the stripe, standard (Standard Webhooks) or github way' -r -f -a "cativa\t''
stripe\t''
standard\t''
github\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l public-key -d 'Wix: the receiver\'s RSA public key (PEM), for the algorithm-confusion case (default: hooktool\'s development key; with --private-key and no --public-key that case is skipped)' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l tolerance -d 'The receiver\'s allowed clock difference (default: 300s, as Cativa, Stripe and Standard Webhooks document it)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l case -d 'Run only this case; repeatable (`--list` shows the names)' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l skip -d 'Leave this case out; repeatable' -r
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l cacert -d 'HTTPS targets: also trust the CA certificates in this PEM file' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l format -d 'Report format' -r -f -a "text\t''
json\t''
junit\t''
github\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l list -d 'List the cases for the event\'s provider and scheme, and send nothing'
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l strict -d 'Count warnings (5xx to forgeries) as failures'
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l allow-remote -d 'Allow targets that are not loopback addresses'
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -l insecure -d 'HTTPS targets: accept any certificate'
complete -c hooktool -n "__fish_hooktool_using_subcommand probe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooktool -n "__fish_hooktool_using_subcommand completions" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand completions" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand completions" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -l json -d 'Print the list as one JSON document'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and __fish_seen_subcommand_from check" -l color -d 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and __fish_seen_subcommand_from check" -l providers -d 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/' -r -F
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
complete -c hooktool -n "__fish_hooktool_using_subcommand providers; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "events" -d 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider\'s documents are silent'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "schema" -d 'Print an event\'s JSON Schema (draft 2020-12)'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "generate" -d 'Build a realistic sample event, signed exactly as its provider signs it'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "send" -d 'Deliver events to a local endpoint, retrying on the provider\'s curve'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "verify" -d 'Verify captured requests and explain every failure'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "validate" -d 'Validate JSON files against the event schemas and the providers\' rules'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "listen" -d 'Run a local receiver that captures every delivery before answering it'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "demo" -d 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "probe" -d 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "completions" -d 'Print a shell completion script'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "providers" -d 'List the provider packs loaded and where each came from, or check a pack folder'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and not __fish_seen_subcommand_from events schema generate send verify validate listen demo probe completions providers help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hooktool -n "__fish_hooktool_using_subcommand help; and __fish_seen_subcommand_from providers" -f -a "check" -d 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
