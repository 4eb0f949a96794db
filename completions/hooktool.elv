
use builtin;
use str;

set edit:completion:arg-completer[hooktool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hooktool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hooktool'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand events 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider''s documents are silent'
            cand schema 'Print an event''s JSON Schema (draft 2020-12)'
            cand generate 'Build a realistic sample event, signed exactly as its provider signs it'
            cand send 'Deliver events to a local endpoint, retrying on the provider''s curve'
            cand verify 'Verify captured requests and explain every failure'
            cand validate 'Validate JSON files against the event schemas and the providers'' rules'
            cand listen 'Run a local receiver that captures every delivery before answering it'
            cand demo 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate'
            cand probe 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones'
            cand completions 'Print a shell completion script'
            cand providers 'List the provider packs loaded and where each came from, or check a pack folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooktool;events'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --json 'Print the catalogue as one JSON document'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;schema'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;generate'= {
            cand --secret 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --seed 'Seed for the sample data: the same seed, --now and secret give byte-identical output'
            cand --now 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it'
            cand --set 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable'
            cand --unset 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable'
            cand --body 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT'
            cand --private-key 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)'
            cand --auth 'Beedeez: the endpoint''s authentication method. The credential comes from --secret'
            cand --api-key-header 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]'
            cand --format 'Output: json (method, headers, body), http (raw HTTP/1.1 request), body (the body bytes), curl (a ready-to-run command), payload (the event document; for Wix, decoded from the JWT)'
            cand --to 'Where the `http` and `curl` formats address the request (same forms as `send --to`); a URL''s user:password@ becomes the Authorization: Basic header they carry'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooktool;send'= {
            cand --secret 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --seed 'Seed for the sample data: the same seed, --now and secret give byte-identical output'
            cand --now 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it'
            cand --set 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable'
            cand --unset 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable'
            cand --body 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT'
            cand --private-key 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)'
            cand --auth 'Beedeez: the endpoint''s authentication method. The credential comes from --secret'
            cand --api-key-header 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]'
            cand --to 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL''s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***'
            cand --retry 'Retry curve: cativa, wix, beedeez (its backoff is assumed: 1s, 2s, 4s, then 6s), none, or delays such as 1s,5s,30s (default: the event''s provider curve). A provider curve brings that provider''s success rule, permanent statuses, Retry-After rule and timeout; none and custom lists keep the event provider''s'
            cand --time-scale 'Multiply every retry delay by F (0.001 turns 30s into 30ms); timeouts are not scaled. Delays run from the end of the previous attempt'
            cand --timeout 'Per-attempt timeout (default: the provider''s: Cativa 10s (assumed), Wix 1250ms, Beedeez 5s)'
            cand --count 'Send N distinct events'
            cand --concurrency 'Requests in flight at once; an event waiting for its next retry holds none (default: 5 for Beedeez, as documented; 1 otherwise)'
            cand --cacert 'HTTPS targets: also trust the CA certificates in this PEM file, besides the system''s store (e.g. a local receiver''s own CA). Ignored for http targets'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --allow-remote 'Allow targets that are not loopback addresses'
            cand --insecure 'HTTPS targets: accept any certificate, even an untrusted, expired or mismatched one (like curl -k); the traffic is still encrypted but the receiver unauthenticated. Ignored for http targets'
            cand --json 'Print a JSON report of every attempt on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooktool;verify'= {
            cand --secret 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)'
            cand --secret-file 'Read a secret from a file (one trailing newline is ignored). Repeatable'
            cand --public-key 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool''s development key)'
            cand --tolerance 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack''s `signing.tolerance` for its scheme]'
            cand --scheme 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`'
            cand --now 'The verification time, as Unix seconds (default: now)'
            cand --header 'A request header, `Name: value` (with --body, instead of INPUT). Repeatable'
            cand --body 'The request body file, byte for byte (with --header)'
            cand --max-input 'Largest input read, per INPUT file, stdin or --body file, e.g. 4GiB, 512MiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --strict 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)'
            cand --explain 'Show the signed message''s first bytes and the expected signature'
            cand --json 'Print the results as JSON on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;validate'= {
            cand --event 'Validate every file as this event (default: from the path, else from the document''s shape)'
            cand --format 'Report format'
            cand --max-input 'Largest file read, per file or stdin, e.g. 256MiB, 512KiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --expect-invalid 'Succeed only when every file is invalid (for negative fixtures)'
            cand --strict 'Treat broken assumptions (warnings that say "assumed": facts the provider does not document) as errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;listen'= {
            cand --port 'Port to listen on; 0 picks a free one'
            cand --bind 'Address to bind: an IP address such as 127.0.0.1, ::1 or [::1], 0.0.0.0 or :: for other machines, or localhost (127.0.0.1)'
            cand --secret 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)'
            cand --secret-file 'Read a secret from a file (one trailing newline is ignored). Repeatable'
            cand --public-key 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool''s development key)'
            cand --tolerance 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack''s `signing.tolerance` for its scheme]'
            cand --scheme 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`'
            cand --respond 'Statuses for successive requests, e.g. 503,503,200 (the last one repeats); 200 to 599'
            cand --out 'Append capture records (JSON Lines) to this file (default: stdout)'
            cand --expect 'Exit after N requests: 0 when all verified (or no secret given), 1 otherwise'
            cand --timeout 'With --expect: exit 1 when fewer requests arrive within this time. Without: stop after it, exit 0 when every request verified (or no secret was given), 1 otherwise'
            cand --max-body 'Largest body accepted, e.g. 10MiB, 512KiB, 1MB or 4096 (bytes); larger requests are answered 413 (and recorded without their body)'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --strict 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;demo'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --keep 'Keep the demo''s workspace (capture file, secret and token) and show commands that replay it; without this it is removed when the demo ends'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;probe'= {
            cand --secret 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --seed 'Seed for the sample data: the same seed, --now and secret give byte-identical output'
            cand --now 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it'
            cand --set 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable'
            cand --unset 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable'
            cand --body 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT'
            cand --private-key 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)'
            cand --auth 'Beedeez: the endpoint''s authentication method. The credential comes from --secret'
            cand --api-key-header 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]'
            cand --to 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL''s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***'
            cand --scheme 'What the receiver verifies, for Cativa events: cativa (default), or the same event signed the stripe, standard (Standard Webhooks) or github way'
            cand --public-key 'Wix: the receiver''s RSA public key (PEM), for the algorithm-confusion case (default: hooktool''s development key; with --private-key and no --public-key that case is skipped)'
            cand --tolerance 'The receiver''s allowed clock difference (default: 300s, as Cativa, Stripe and Standard Webhooks document it)'
            cand --case 'Run only this case; repeatable (`--list` shows the names)'
            cand --skip 'Leave this case out; repeatable'
            cand --cacert 'HTTPS targets: also trust the CA certificates in this PEM file'
            cand --format 'Report format'
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --list 'List the cases for the event''s provider and scheme, and send nothing'
            cand --strict 'Count warnings (5xx to forgeries) as failures'
            cand --allow-remote 'Allow targets that are not loopback addresses'
            cand --insecure 'HTTPS targets: accept any certificate'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooktool;completions'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;providers'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand --json 'Print the list as one JSON document'
            cand -h 'Print help'
            cand --help 'Print help'
            cand check 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooktool;providers;check'= {
            cand --color 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never'
            cand --providers 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooktool;providers;help'= {
            cand check 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooktool;providers;help;check'= {
        }
        &'hooktool;providers;help;help'= {
        }
        &'hooktool;help'= {
            cand events 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider''s documents are silent'
            cand schema 'Print an event''s JSON Schema (draft 2020-12)'
            cand generate 'Build a realistic sample event, signed exactly as its provider signs it'
            cand send 'Deliver events to a local endpoint, retrying on the provider''s curve'
            cand verify 'Verify captured requests and explain every failure'
            cand validate 'Validate JSON files against the event schemas and the providers'' rules'
            cand listen 'Run a local receiver that captures every delivery before answering it'
            cand demo 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate'
            cand probe 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones'
            cand completions 'Print a shell completion script'
            cand providers 'List the provider packs loaded and where each came from, or check a pack folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooktool;help;events'= {
        }
        &'hooktool;help;schema'= {
        }
        &'hooktool;help;generate'= {
        }
        &'hooktool;help;send'= {
        }
        &'hooktool;help;verify'= {
        }
        &'hooktool;help;validate'= {
        }
        &'hooktool;help;listen'= {
        }
        &'hooktool;help;demo'= {
        }
        &'hooktool;help;probe'= {
        }
        &'hooktool;help;completions'= {
        }
        &'hooktool;help;providers'= {
            cand check 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise'
        }
        &'hooktool;help;providers;check'= {
        }
        &'hooktool;help;help'= {
        }
    ]
    $completions[$command]
}
