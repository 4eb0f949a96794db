
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hooktool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hooktool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hooktool' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider''s documents are silent')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print an event''s JSON Schema (draft 2020-12)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Build a realistic sample event, signed exactly as its provider signs it')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Deliver events to a local endpoint, retrying on the provider''s curve')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify captured requests and explain every failure')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate JSON files against the event schemas and the providers'' rules')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a local receiver that captures every delivery before answering it')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the provider packs loaded and where each came from, or check a pack folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooktool;events' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the catalogue as one JSON document')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;generate' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the sample data: the same seed, --now and secret give byte-identical output')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Beedeez: the endpoint''s authentication method. The credential comes from --secret')
            [CompletionResult]::new('--api-key-header', '--api-key-header', [CompletionResultType]::ParameterName, 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: json (method, headers, body), http (raw HTTP/1.1 request), body (the body bytes), curl (a ready-to-run command), payload (the event document; for Wix, decoded from the JWT)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where the `http` and `curl` formats address the request (same forms as `send --to`); a URL''s user:password@ becomes the Authorization: Basic header they carry')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooktool;send' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the sample data: the same seed, --now and secret give byte-identical output')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Beedeez: the endpoint''s authentication method. The credential comes from --secret')
            [CompletionResult]::new('--api-key-header', '--api-key-header', [CompletionResultType]::ParameterName, 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL''s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Retry curve: cativa, wix, beedeez (its backoff is assumed: 1s, 2s, 4s, then 6s), none, or delays such as 1s,5s,30s (default: the event''s provider curve). A provider curve brings that provider''s success rule, permanent statuses, Retry-After rule and timeout; none and custom lists keep the event provider''s')
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Multiply every retry delay by F (0.001 turns 30s into 30ms); timeouts are not scaled. Delays run from the end of the previous attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-attempt timeout (default: the provider''s: Cativa 10s (assumed), Wix 1250ms, Beedeez 5s)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Send N distinct events')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once; an event waiting for its next retry holds none (default: 5 for Beedeez, as documented; 1 otherwise)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'HTTPS targets: also trust the CA certificates in this PEM file, besides the system''s store (e.g. a local receiver''s own CA). Ignored for http targets')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow targets that are not loopback addresses')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'HTTPS targets: accept any certificate, even an untrusted, expired or mismatched one (like curl -k); the traffic is still encrypted but the receiver unauthenticated. Ignored for http targets')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON report of every attempt on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooktool;verify' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read a secret from a file (one trailing newline is ignored). Repeatable')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool''s development key)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack''s `signing.tolerance` for its scheme]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The verification time, as Unix seconds (default: now)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, `Name: value` (with --body, instead of INPUT). Repeatable')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'The request body file, byte for byte (with --header)')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read, per INPUT file, stdin or --body file, e.g. 4GiB, 512MiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the signed message''s first bytes and the expected signature')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the results as JSON on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;validate' {
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Validate every file as this event (default: from the path, else from the document''s shape)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest file read, per file or stdin, e.g. 256MiB, 512KiB, 1MB or 4096 (bytes); a larger or endless input is refused (exit 2)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--expect-invalid', '--expect-invalid', [CompletionResultType]::ParameterName, 'Succeed only when every file is invalid (for negative fixtures)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat broken assumptions (warnings that say "assumed": facts the provider does not document) as errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;listen' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on; 0 picks a free one')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to bind: an IP address such as 127.0.0.1, ::1 or [::1], 0.0.0.0 or :: for other machines, or localhost (127.0.0.1)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez credential; repeat for key rotation (any match passes)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read a secret from a file (one trailing newline is ignored). Repeatable')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool''s development key)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Allowed clock difference, both directions, as Cativa and Standard Webhooks document it; for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or a loaded pack''s `signing.tolerance` for its scheme]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme (default: detected from the headers). Also the id of a loaded pack that signs with `hmac`')
            [CompletionResult]::new('--respond', '--respond', [CompletionResultType]::ParameterName, 'Statuses for successive requests, e.g. 503,503,200 (the last one repeats); 200 to 599')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Append capture records (JSON Lines) to this file (default: stdout)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Exit after N requests: 0 when all verified (or no secret given), 1 otherwise')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --expect: exit 1 when fewer requests arrive within this time. Without: stop after it, exit 0 when every request verified (or no secret was given), 1 otherwise')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted, e.g. 10MiB, 512KiB, 1MB or 4096 (bytes); larger requests are answered 413 (and recorded without their body)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail a request on a broken assumption too (a warning that says "assumed": a check the provider does not document, such as a Wix token issued in the future)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;demo' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the demo''s workspace (capture file, secret and token) and show commands that replay it; without this it is removed when the demo ends')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;probe' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key). Without one, a random secret is made and announced on stderr')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the sample data: the same seed, --now and secret give byte-identical output')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The delivery time, as Unix seconds (default: now). Sample dates are set relative to it')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as JSON when it parses as JSON, else as a string. Repeatable')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field by dotted path (for fixtures that miss a required field). Repeatable')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Use this file as the event document, byte for byte, instead of a generated sample. For Wix it is the innermost event, carried verbatim inside the signed JWT')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Wix: RSA private key (PEM) to sign the JWT body with (default: the development key pair shipped with hooktool)')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Beedeez: the endpoint''s authentication method. The credential comes from --secret')
            [CompletionResult]::new('--api-key-header', '--api-key-header', [CompletionResultType]::ParameterName, 'Header carrying the key for `--auth api-key` [default: the provider''s; Beedeez: X-API-Key, assumed]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x, [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL''s user:password@ is sent as Authorization: Basic (as curl does) and its password shown as ***')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'What the receiver verifies, for Cativa events: cativa (default), or the same event signed the stripe, standard (Standard Webhooks) or github way')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Wix: the receiver''s RSA public key (PEM), for the algorithm-confusion case (default: hooktool''s development key; with --private-key and no --public-key that case is skipped)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'The receiver''s allowed clock difference (default: 300s, as Cativa, Stripe and Standard Webhooks document it)')
            [CompletionResult]::new('--case', '--case', [CompletionResultType]::ParameterName, 'Run only this case; repeatable (`--list` shows the names)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Leave this case out; repeatable')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'HTTPS targets: also trust the CA certificates in this PEM file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the cases for the event''s provider and scheme, and send nothing')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Count warnings (5xx to forgeries) as failures')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow targets that are not loopback addresses')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'HTTPS targets: accept any certificate')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooktool;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;providers' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the list as one JSON document')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooktool;providers;check' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never')
            [CompletionResult]::new('--providers', '--providers', [CompletionResultType]::ParameterName, 'Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs. Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then ./.hooktool/providers/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooktool;providers;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooktool;providers;help;check' {
            break
        }
        'hooktool;providers;help;help' {
            break
        }
        'hooktool;help' {
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event catalogue: provider, description, signing scheme, retry curve, and what is assumed where the provider''s documents are silent')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print an event''s JSON Schema (draft 2020-12)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Build a realistic sample event, signed exactly as its provider signs it')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Deliver events to a local endpoint, retrying on the provider''s curve')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify captured requests and explain every failure')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate JSON files against the event schemas and the providers'' rules')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a local receiver that captures every delivery before answering it')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole loop end to end on built-in defaults: listen, send, verify, validate')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Grade a receiver: send deliveries each correct but for one flaw, and check it accepts exactly the genuine ones')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the provider packs loaded and where each came from, or check a pack folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooktool;help;events' {
            break
        }
        'hooktool;help;schema' {
            break
        }
        'hooktool;help;generate' {
            break
        }
        'hooktool;help;send' {
            break
        }
        'hooktool;help;verify' {
            break
        }
        'hooktool;help;validate' {
            break
        }
        'hooktool;help;listen' {
            break
        }
        'hooktool;help;demo' {
            break
        }
        'hooktool;help;probe' {
            break
        }
        'hooktool;help;completions' {
            break
        }
        'hooktool;help;providers' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a pack: its provider.toml, every schema and sample, a sample built from each schema that has none, and its event names against the packs already loaded. Exit 0 when sound, 2 with the file, line and key otherwise')
            break
        }
        'hooktool;help;providers;check' {
            break
        }
        'hooktool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
