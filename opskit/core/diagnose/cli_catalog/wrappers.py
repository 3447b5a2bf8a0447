"""Catalogued refusals of the programs that wrap the tailscale CLI and print their own verdict on it: the GitHub
Action (github.com/tailscale/github-action at d1b6cd2, v4.1.3: src/main.ts; the composite action.yml of v2-v3 for
the shell steps' `::error` wordings) and the Home Assistant add-on (github.com/hassio-addons/addon-tailscale at
b75e536, 2026-01-28: its s6-overlay service scripts, whose `bashio::exit.nok` prints `[hh:mm:ss] FATAL: …`).

A wrapper that relays a LocalAPI or CLI answer (`tailscale up`'s own refusal printed above its verdict) is read by
that answer's own entry; these entries are the wrappers' own words, each mapped to the CLI kind that is the same
concept (an input the wrapper refuses before running `tailscale up` is the command line refused: ``cli-usage``).
The patterns are anchored on the wrappers' exact sentences (their values as named groups); the web view's
``Error: `` and the raw log's ``##[error]`` around them do not matter (the catalog searches the line).
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_ACTION = "tailscale/github-action src/main.ts"
_ACTION_V3 = "tailscale/github-action action.yml (v2-v3)"
_ADDON = "hassio-addons/addon-tailscale tailscale/rootfs/etc/s6-overlay/s6-rc.d"
_ACTION_INPUTS = (
    "Set the inputs in the workflow's `uses: tailscale/github-action@v4` step: "
    "`authkey: ${{{{ secrets.TS_AUTHKEY }}}}`, "
    "or `oauth-client-id` + `oauth-secret` with `tags: tag:ci` (the OAuth client needs the auth_keys scope and "
    "that tag), or `oauth-client-id` + `audience` + `tags` for workload identity. A secret is empty when the "
    "workflow runs from a fork's pull request or the secret's name is misspelled."
)


# What Headscale (or a tool in front of it) puts before an error of its register call: the REST gateway's
# "message":"…", gRPC's "desc = ", the CLI's "Cannot register machine|node: " / "registering node: ", a web UI's
# "Failed to create node: " / "… register node: ". Tailscale's own key wordings are read only behind one of these.
_HEADSCALE_WRAPPER = (
    r"(?:\x22message\x22\s*:\s*\x22|desc = |register(?:ing)? (?:machine|node)\W? |create (?:machine|node)\W? )"
)


def _entry(kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str) -> Refusal:
    return catalog_entry(kind, phrase, pattern, cause, fix, source, example)


REFUSALS: tuple[Refusal, ...] = (
    # ------------------------------------------------------------------------------------- GitHub Action
    # src/main.ts:162: `tailscale status --json` after `tailscale up` names a state other than Running (v4.0+)
    _entry(
        CliErrorKind.NOT_RUNNING_STATE,
        "tailscale backend state:",
        r"Tailscale backend state: (?P<state>[A-Za-z]+)",
        "The GitHub Action ran `tailscale up` and then found the node in state {state}, not Running: NeedsLogin "
        "means the auth key (or the OAuth/federated credentials) did not log it in (expired, used, revoked, or a "
        "key of another tailnet), NeedsMachineAuth that the tailnet requires device approval.",
        "Create a fresh reusable, ephemeral, pre-approved auth key (or check the OAuth client's scope and tags) "
        "and store it in the repository's secret; with device approval on, pre-approve the key or its tags.",
        _ACTION,
        "❌ Tailscale backend state: NeedsLogin",
    ),
    # src/main.ts:813: the LocalAPI never answered in 15 s after the action started tailscaled (v4.0+): the CLI's
    # exit 1 is its "failed to connect to local tailscaled", so tailscaled is not running (exited at start or never
    # came up), not a running daemon without a backend (503)
    _entry(
        CliErrorKind.SERVICE_NOT_RUNNING,
        "daemon did not become ready",
        r"tailscaled daemon did not become ready within timeout(?:, last error: (?P<error>.+))?",
        "The GitHub Action started tailscaled but its LocalAPI did not answer `tailscale status` within 15 "
        "seconds (last error: {error}): tailscaled exited at start (a bad `tailscaled-args` flag, no TUN on the "
        "runner, a state directory it cannot write) or is still starting.",
        "Read tailscaled's own output in the step's log (run with ACTIONS_STEP_DEBUG=true for more); check the "
        "`tailscaled-args` and `statedir` inputs, and on a container job use `--tun=userspace-networking`.",
        _ACTION,
        "tailscaled daemon did not become ready within timeout, last error: /usr/bin/tailscale failed with exit code 1",
    ),
    # src/main.ts:306 validateAuth (v4.0+)
    _entry(
        CliErrorKind.CLI_USAGE,
        "provide either an auth key, oauth secret",
        r"Please provide either an auth key, OAuth secret and tags, or federated identity client ID",
        "The GitHub Action was given no credential it can log in with: `authkey` is empty, and neither "
        "`oauth-secret` nor `audience` with `oauth-client-id` came with `tags`.",
        _ACTION_INPUTS,
        _ACTION,
        "Please provide either an auth key, OAuth secret and tags, or federated identity client ID and audience "
        "with tags.",
    ),
    # action.yml:76 of v3 / :56 of v2: the same check in the composite action's shell step
    _entry(
        CliErrorKind.CLI_USAGE,
        "oauth identity empty",
        r"OAuth identity empty, Maybe you need to populate it in the Secrets",
        "The GitHub Action (v2-v3) got neither an auth key nor an OAuth client secret: the secrets its inputs "
        "name are empty in this run.",
        _ACTION_INPUTS,
        _ACTION_V3,
        "OAuth identity empty, Maybe you need to populate it in the Secrets for your workflow, see more in "
        "https://docs.github.com/en/actions/security-guides/encrypted-secrets and https://tailscale.com/s/oauth-clients",
    ),
    # src/main.ts:282 (v4.0+)
    _entry(
        CliErrorKind.CLI_USAGE,
        "tags parameter is required when using an oauth client",
        r"the tags parameter is required when using an OAuth client",
        "The GitHub Action was given an OAuth client secret without `tags`: a node logged in with an OAuth "
        "client must be tagged (it has no user).",
        "Add `tags: tag:ci` (tags the OAuth client may assign, owned in the tailnet policy's tagOwners) to the "
        "action's inputs.",
        _ACTION,
        "the tags parameter is required when using an OAuth client",
    ),
    # src/main.ts:296 (v4.1+)
    _entry(
        CliErrorKind.CLI_USAGE,
        "workload identity federation requires",
        r"Workload identity federation requires using tailscale version (?P<minimum>\d+\.\d+\.\d+) or later",
        "The GitHub Action was asked for workload identity federation (`audience`) with a `version` input older "
        "than {minimum}, which cannot log in that way.",
        "Set the action's `version` input to {minimum} or later (or `latest`), or log in with an auth key / "
        "OAuth secret instead.",
        _ACTION,
        "Workload identity federation requires using tailscale version 1.90.0 or later.",
    ),
    # action.yml:339 of v3: the hostname input checked before `tailscale up`
    _entry(
        CliErrorKind.CLI_USAGE,
        "is not a valid dns label",
        r"HOSTNAME '(?P<hostname>[^']*)' is not a valid DNS label",
        "The GitHub Action (v3) refused the hostname '{hostname}': a node name must be a DNS label (letters, "
        "digits and dashes, 1-63 characters, no dash at either end).",
        "Set the action's `hostname` input to a valid DNS label (e.g. replace `_` and `.` with `-`), or leave it "
        "unset for github-<runner name>.",
        _ACTION_V3,
        "HOSTNAME 'github-runner_01' is not a valid DNS label. It should contain only alphanumeric characters and "
        "dashes, be 1-63 characters long, and not start or end with a dash.",
    ),
    # src/main.ts:95 (v4), action.yml:70 of v3 / :50 of v2 (annotated "⛔ error hint"): only a whole line
    _entry(
        CliErrorKind.INSTALL_FAILED,
        "support linux",
        r"(?:^|\]|::|Error: )\s*Support Linux(?:, Windows, and macOS)? Only\s*$",
        "The GitHub Action runs only on Linux, Windows and macOS runners (v2: Linux only): this runner's OS "
        "(RUNNER_OS) is none of them, so nothing was installed.",
        "Run the job on a `ubuntu-*`, `windows-*` or `macos-*` runner (v2: `ubuntu-*`, or move to "
        "tailscale/github-action@v4), or install Tailscale on the self-hosted runner yourself.",
        _ACTION,
        "Support Linux, Windows, and macOS Only",
    ),
    # src/main.ts:513/:631: the downloaded package did not match the expected SHA-256 (v4.0+); v2-v3 let
    # `sha256sum -c` say it ("tailscale.tgz: FAILED", "WARNING: 1 computed checksum did NOT match")
    _entry(
        CliErrorKind.INSTALL_FAILED,
        "sha256 checksum mismatch",
        r"(?:^|\]|Error: )\s*SHA256 checksum mismatch\s*$",
        "The GitHub Action downloaded the Tailscale package but its SHA-256 did not match the expected sum (the "
        "`sha256sum` input, or the one published on pkgs.tailscale.com): a `sha256sum` input for another version "
        "or architecture, or a download a proxy altered. Nothing was installed.",
        "Remove the `sha256sum` input or set it to the sum pkgs.tailscale.com publishes for this `version` and "
        "architecture; with a cache, clear the action's cached package.",
        _ACTION,
        "SHA256 checksum mismatch",
    ),
    # src/main.ts:106 (v4.1+): use-cache with the unstable track on a macOS runner
    _entry(
        CliErrorKind.CLI_USAGE,
        "caching of unstable releases",
        r"Caching of unstable releases is not supported on macOS runners",
        "The GitHub Action refused its inputs: `use-cache: true` with `version: unstable` on a macOS runner (an "
        "unstable build is not cached there). Nothing was installed.",
        "Drop `use-cache` for this job, or pin a stable `version` (e.g. `latest` or 1.9x.y).",
        _ACTION,
        "Caching of unstable releases is not supported on macOS runners",
    ),
    # src/main.ts:575/:1017 (v4.0+): the action's tool cache said it held the package, but the files are gone
    _entry(
        CliErrorKind.INSTALL_FAILED,
        "not found",
        r"Cached (?:MSI not found at|binaries not found in) (?P<path>\S.*?)\s*$",
        "The GitHub Action's tool cache named a cached Tailscale package that is not there ({path}): a runner "
        "whose tool cache was cleaned or not restored. Nothing was installed.",
        "Re-run the job without the cache (`use-cache: false`) or clear the action's cache entry so that it "
        "downloads the package again.",
        _ACTION,
        "Cached binaries not found in /opt/hostedtoolcache/tailscale/1.94.2/x64",
    ),
    # src/main.ts:921: one `tailscale up` attempt outlived the action's `timeout` input (default 60s) (v4.0+)
    _entry(
        CliErrorKind.NOT_RUNNING_STATE,
        "tailscale up attempt",
        r"Tailscale up attempt (?P<attempt>\d+) failed: (?P<error>Timeout\b.*)",
        "`tailscale up` in the GitHub Action did not finish within the action's `timeout` (attempt {attempt}): "
        "the node did not reach Running — control unreachable from the runner, or a login that waits (an auth "
        "key that needs approval or is not accepted).",
        "Read `tailscale up`'s own output above; check the auth key or OAuth client and that the runner reaches "
        "controlplane.tailscale.com (HTTPS) — or raise the `timeout` input.",
        _ACTION,
        "Tailscale up attempt 3 failed: Timeout",
    ),
    # cmd/tailscale/cli/up.go:829 `tailscale up --timeout=…` expired before Running (v1.26+; the Action, scripts)
    _entry(
        CliErrorKind.NOT_RUNNING_STATE,
        "timeout waiting for tailscale service to enter a running state",
        r"timeout waiting for Tailscale service to enter a Running state",
        "`tailscale up --timeout` expired before the node reached Running: control was not reached, or the login "
        "waits (an auth key refused or needing approval, a login URL nobody opened).",
        "Run `tailscale status` to see the state and its health messages; check the auth key and that this host "
        "reaches the control server over HTTPS, then run `tailscale up` again.",
        "cmd/tailscale/cli/up.go",
        'timeout waiting for Tailscale service to enter a Running state; check health with "tailscale status"',
    ),
    # ------------------------------------------------------------------- tsnet, to the program embedding it
    # tsnet/tsnet.go ListenTLS (v1.38+): the node has no HTTPS certificate domain (MagicDNS or HTTPS off)
    _entry(
        CliErrorKind.SERVE_NOT_ENABLED,
        "you must enable",
        r"tsnet: you must enable (?P<feature>MagicDNS|HTTPS) in the (?:DNS page of the )?admin panel to proceed",
        "The program embedding Tailscale (tsnet) asked for a TLS listener, but the tailnet has {feature} off, so "
        "the node has no certificate name.",
        "In the admin console's DNS page enable MagicDNS and HTTPS Certificates (https://tailscale.com/s/https), "
        "then restart the program.",
        "tsnet/tsnet.go",
        "tsnet: you must enable HTTPS in the admin panel to proceed. See https://tailscale.com/s/https",
    ),
    # tsnet/tsnet.go:391 Server.Dial and friends wait for Running (v1.52+): a state other than NeedsLogin/Starting
    _entry(
        CliErrorKind.NOT_RUNNING_STATE,
        "tsnet: backend in state",
        r"tsnet: backend in state (?P<state>[A-Za-z]+)",
        "The program embedding Tailscale (tsnet) dialled out while its node was in state {state}, not Running "
        "(Stopped, NeedsMachineAuth: awaiting approval, …).",
        "Check the program's own log for tsnet's login lines (an auth key, an approval the tailnet requires); "
        "approve the device in the admin console or give the program a valid pre-approved TS_AUTHKEY.",
        "tsnet/tsnet.go",
        "tsnet: backend in state NeedsMachineAuth",
    ),
    # -------------------------------------------------------- Traefik's Tailscale certificate resolver
    # traefik/traefik pkg/provider/tailscale/provider.go:315 sanitizeDomains (v3.0+)
    _entry(
        CliErrorKind.CERT_FAILED,
        "is not a valid tailscale domain",
        r"Domain (?P<domain>\S+) is not a valid Tailscale domain",
        "Traefik's Tailscale certificate resolver skipped {domain}: it is not a name under the tailnet's ts.net "
        "domain, and Tailscale issues certificates only for its nodes' own names.",
        "Use the node's full MagicDNS name (`Host(`node.tailnet-name.ts.net`)`) in the router's rule, or give "
        "{domain} another certificate resolver (ACME).",
        "traefik/traefik pkg/provider/tailscale/provider.go",
        "Domain app.example.com is not a valid Tailscale domain",
    ),
    # ------------------------------------------------------------------------- Home Assistant add-on
    # post-tailscaled/run:42 (bashio::exit.nok): the add-on's own check of its options
    _entry(
        CliErrorKind.EXIT_NODE_REFUSED,
        "advertise this device as an exit node and at the same time",
        r"You can't advertise this device as an exit node and at the same time specify an exit node to use",
        "The Home Assistant add-on refused its options: `advertise_exit_node` is on and `exit_node` names an exit "
        "node to use, and a node cannot be both.",
        "In the add-on's Configuration turn `advertise_exit_node` off or clear `exit_node`, then restart it.",
        _ADDON + "/post-tailscaled/run",
        "You can't advertise this device as an exit node and at the same time specify an exit node to use",
    ),
    # share-homeassistant/run:25: the node has no HTTPS capability (certificates off in the tailnet) (v0.21+)
    _entry(
        CliErrorKind.SERVE_NOT_ENABLED,
        "tailscale's https support is disabled",
        r"Tailscale's HTTPS support is disabled",
        "The Home Assistant add-on was set to share Home Assistant (`share_homeassistant`), which needs Tailscale "
        "Serve's HTTPS, but HTTPS certificates are not enabled for this tailnet (the node has no `https` "
        "capability).",
        "In the admin console (DNS page) enable MagicDNS and HTTPS Certificates, or turn `share_homeassistant` "
        "off; restart the add-on.",
        _ADDON + "/share-homeassistant/run",
        "Tailscale's HTTPS support is disabled",
    ),
    # share-homeassistant/run:64: the node has no funnel capability (v0.21+)
    _entry(
        CliErrorKind.FUNNEL_UNAVAILABLE,
        "tailscale's funnel support is disabled",
        r"Tailscale's Funnel support is disabled",
        "The Home Assistant add-on was set to `share_homeassistant: funnel`, but this node has no Funnel "
        "permission (the tailnet policy grants it no `funnel` node attribute).",
        "In the admin console enable Funnel for this node (the `funnel` nodeAttr in the policy file, HTTPS "
        "certificates on), or set `share_homeassistant: serve` for the tailnet only; restart the add-on.",
        _ADDON + "/share-homeassistant/run",
        "Tailscale's Funnel support is disabled",
    ),
    # share-homeassistant/run:30 (v0.21+)
    _entry(
        CliErrorKind.SERVE_FAILED,
        "home assistant is not accessible through plain http",
        r"Home Assistant is not accessible through plain HTTP connection",
        "The Home Assistant add-on cannot share Home Assistant: Home Assistant itself serves HTTPS (ssl_certificate "
        "in its http: config), and the add-on proxies to it over plain HTTP only.",
        "Remove `ssl_certificate`/`ssl_key` from Home Assistant's `http:` configuration (Tailscale provides the "
        "HTTPS), restart Home Assistant, then the add-on.",
        _ADDON + "/share-homeassistant/run",
        "Tailscale's HTTPS support is enabled, but Home Assistant is not accessible through plain HTTP connection",
    ),
    # share-homeassistant/run:53 (v0.21+): Home Assistant refused the proxied request
    _entry(
        CliErrorKind.SERVE_FAILED,
        "unable to connect to home assistant as reverse proxy",
        r"Unable to connect to Home Assistant as reverse proxy",
        "The Home Assistant add-on's test request through its proxy was refused by Home Assistant: its `http:` "
        "configuration does not trust the add-on as a reverse proxy.",
        "Add to Home Assistant's configuration.yaml `http: use_x_forwarded_for: true` and `trusted_proxies: "
        "[127.0.0.1]`, restart Home Assistant, then the add-on.",
        _ADDON + "/share-homeassistant/run",
        "Unable to connect to Home Assistant as reverse proxy. Please check your configuration based on the "
        'add-on\'s documentation under "Option: share_homeassistant".',
    ),
    # post-tailscaled/run:150 (v0.22+): `tailscale serve reset` failed
    _entry(
        CliErrorKind.SERVE_FAILED,
        "unable to remove previous tailscale serve and funnel",
        r"Unable to remove previous Tailscale Serve and Funnel settings",
        "The Home Assistant add-on's one-off `tailscale serve reset` (removing Serve/Funnel settings older "
        "versions left) failed, so the add-on stopped.",
        "Read the `tailscale serve` error printed above it; restart the add-on once tailscaled runs "
        "(`tailscale status` in the add-on's terminal).",
        _ADDON + "/post-tailscaled/run",
        "Unable to remove previous Tailscale Serve and Funnel settings",
    ),
    # ------------------------------------------------------------------ GitHub Action: `tailscale up` retries
    # src/main.ts (v4.0+) runs `sudo -E tailscale up …` (Windows: tailscale.exe) through execSilent, which hides
    # the command's output unless the step runs in debug mode, up to `retry` times: core.warning("Tailscale up
    # attempt N failed: <error>") with the ExecError ("sudo failed with exit code 1", "C:\…\tailscale.exe failed
    # with exit code 1") or "Error: Timeout" (the `timeout` input), then the last error fails the step. action.yml
    # of v2-v3 echoes "Tailscale up failed. Retrying in N seconds..." (tailscale's own output stays above it).
    _entry(
        CliErrorKind.GITHUB_ACTION_UP_FAILED,
        "tailscale up attempt",
        r"Tailscale up attempt (?P<attempt>\d+) failed: (?P<error>(?:Error: )?Timeout\b)",
        "The GitHub Action's `tailscale up` did not finish within the action's `timeout` (attempt {attempt}): "
        "the node never got logged in and connected (control unreachable from the runner, an interactive login "
        "waiting because the credential was not accepted, or a slow runner); the action hides tailscale's output.",
        "Re-run the job with debug logging (ACTIONS_STEP_DEBUG=true, or 'Re-run with debug logging') to see "
        "tailscale's own output; check the credential (auth key, or the OAuth client's tags and auth_keys scope) "
        "and raise the `timeout` input if the runner is slow.",
        _ACTION,
        "Warning: Tailscale up attempt 3 failed: Error: Timeout",
    ),
    _entry(
        CliErrorKind.GITHUB_ACTION_UP_FAILED,
        "tailscale up attempt",
        r"Tailscale up attempt (?P<attempt>\d+) failed: (?P<error>.+)",
        "The GitHub Action's `tailscale up` failed (attempt {attempt}: {error}): the up command itself was "
        "refused, almost always the login with the action's credential (an expired, used or revoked auth key; an "
        "OAuth client without the auth_keys scope or not allowed the `tags`; a workload-identity trust whose "
        "subject does not match the workflow; a tag the policy's tagOwners does not allow). The action prints only "
        "the command's exit code and hides tailscale's own message, so the node never joined.",
        "Re-run the job with debug logging (ACTIONS_STEP_DEBUG=true, or 'Re-run with debug logging'), which shows "
        "tailscale's own error; then check the credential: a fresh auth key, or the OAuth client's scopes "
        "(auth_keys) and that its tags are owned by it in tagOwners, or the federated identity's subject "
        "(e.g. `repo:org/repo:*`).",
        _ACTION,
        "Warning: Tailscale up attempt 1 failed: sudo failed with exit code 1",
    ),
    _entry(
        CliErrorKind.GITHUB_ACTION_UP_FAILED,
        "tailscale up failed. retrying",
        r"Tailscale up failed\. Retrying in (?P<seconds>\d+) seconds",
        "The GitHub Action (v2-v3) ran `tailscale up` and it failed (it retries, then fails the step): "
        "tailscale's own error above this line says why, usually the login with the action's auth key or OAuth "
        "client.",
        "Read tailscale's error above the retry line; check the auth key (fresh, reusable, not revoked) or the "
        "OAuth client's scopes and tags; upgrade to tailscale/github-action@v4.",
        _ACTION_V3,
        "Tailscale up failed. Retrying in 5 seconds...",
    ),
    # ---------------------------------------------------------------------------- tsidp (OIDC provider)
    # tsidp refuses to issue a token (or userinfo) to a login that came from a tagged node: a tagged node has no
    # user to put in the token (cmd/tsidp/tsidp.go: http.Error "tsidp: tagged nodes not supported", 400; the
    # standalone tailscale/tsidp answers the OAuth error JSON {"error":"invalid_request","error_description":
    # "tagged nodes not supported"}).
    _entry(
        CliErrorKind.IDP_TAGGED_NODE_REFUSED,
        "tagged nodes not supported",
        r"(?:tsidp: |\x22error_description\x22\s*:\s*\x22)tagged nodes not supported",
        "tsidp (Tailscale's OpenID Connect provider) refused the login because the request came from a tagged "
        "device: a tagged node has no user identity, so tsidp cannot put a user in the token; the application "
        "signing in (Proxmox, Grafana, …) then reports an authentication failure. Not a network or tailscaled "
        "problem.",
        "Sign in from a user-owned, untagged device (a laptop or phone logged in as yourself), or remove the tag "
        "from the device you sign in from (`tailscale up --advertise-tags=` with --force-reauth, or the admin "
        "console); a server that must stay tagged cannot be a tsidp user.",
        "cmd/tsidp/tsidp.go",
        '{"error":"invalid_request","error_description":"tagged nodes not supported"}',
    ),
    # ------------------------------------------------------------------------------ Headscale's admin CLI
    # `headscale [-n <user>] nodes register --key <key>` (cmd/headscale/cli/nodes.go) approving a client's login:
    # Headscale keeps each pending login in its registration cache (keyed by the key the client's /register page
    # shows) and answers the gRPC call with ErrMachineNotFoundRegistrationCache "machine not found in
    # registration cache" (v0.15-v0.22, hscontrol/db) / ErrNodeNotFoundRegistrationCache "node not found …"
    # (v0.23+). The CLI prints "Cannot register machine|node: <gRPC message>" (v0.15-v0.28), `--output json|yaml`
    # the gRPC error `{"error": "rpc error: code = … desc = …"}`, v0.29's cobra error "Error: registering node:
    # rpc error: …"; its HTTP API (404) quotes the same message. Anchored after a ": ", "desc = " or quote so
    # prose about the message is not read as the refusal.
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "not found in registration cache",
        r"(?:^|: |desc = |[\x22'`])(?P<what>machine|node) not found in registration cache\b",
        "Headscale's admin CLI could not register the key: Headscale holds no pending registration for it ({what} "
        "not found in registration cache). The client's login request never reached this Headscale under that key "
        "(the client used another URL than Headscale's server_url, e.g. through a reverse proxy or another "
        "--login-server), Headscale restarted since (the cache is in memory), or the entry expired. The Tailscale "
        "client is not broken: it waits for an approval that cannot come.",
        "Make Headscale's server_url the URL clients use (and `tailscale up --login-server <that url>` on the "
        "client), run `tailscale up --login-server <url>` again to get a fresh key, and register that key promptly "
        "(`headscale nodes register --user <user> --key <key>`; v0.29+: `headscale auth register`).",
        "juanfont/headscale cmd/headscale/cli/nodes.go, hscontrol/db/node.go (v0.15+)",
        "Cannot register machine: machine not found in registration cache",
    ),
    # The same RegisterNode call refusing the KEY ITSELF before any look-up, one wording per Headscale generation:
    # v0.15-v0.22 parse it as a node key and v0.23-v0.24 as a machine key (Tailscale's types/key/util.go: "key hex
    # string doesn't have expected type prefix nodekey:|mkey:", "key hex has the wrong size, got N want 64",
    # "invalid hex character in key"); v0.25-v0.28 want the bare registration ID of the client's /register/<id> URL
    # (hscontrol/types/common.go RegistrationIDFromString "registration ID must be 24 characters long"); v0.29+ an
    # auth ID "hskey-authreq-" + 24 (AuthIDFromString: "auth ID has invalid prefix: expected prefix …" / "auth ID has
    # invalid length: expected 38, got N"). Then the user look-up: "looking up user: user not found" (v0.24+),
    # "failed to find user in register node|machine from auth callback, user not found" (v0.15-v0.23). They reach
    # the admin as the CLI's "Cannot register node: …" / "registering node: rpc error: code = Unknown desc = …", the
    # REST gateway's {"code":2,"message":"…","details":[]} or a web UI's own words before them ("Failed to create
    # node: …"). Tailscale's key wordings are read only behind a Headscale wrapper (gateway JSON, gRPC desc, the
    # CLI's or a UI's register words): `tailscale lock` prints the same words for its own arguments.
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "registration id must be",
        r"(?:^|: |desc = |[\x22'`])registration ID must be (?P<length>\d+) characters long",
        "Headscale refused to register the node before looking it up: Headscale 0.25-0.28 registers by the "
        "registration ID, the {length}-character string at the end of the /register/<id> URL the Tailscale client "
        "shows, and the key it was given is not one (usually an `mkey:`/`nodekey:` key from an admin UI or script "
        "written for Headscale 0.24 or older, or an ID cut short). Nothing was registered; the Tailscale client is "
        "fine and waits for the approval.",
        "Copy the last part of the client's login URL (`https://<headscale>/register/<id>`: the {length} "
        "characters after /register/) and run `headscale nodes register --user <user> --key <id>`; upgrade the "
        "admin web UI to a release made for this Headscale version.",
        "juanfont/headscale hscontrol/grpcv1.go, hscontrol/types/common.go (v0.25-v0.28)",
        "Failed to create node: registration ID must be 24 characters long.",
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "auth id has invalid",
        r"(?:^|: |desc = |[\x22'`])auth ID has invalid (?P<what>prefix|length)(?:: expected (?:prefix \W?hskey-"
        r"authreq-|\d+, got \d+))?",
        "Headscale refused to register the node before looking it up: Headscale 0.29+ registers by the auth ID, "
        "`hskey-authreq-` and 24 characters (38 in all), the last part of the /register/<id> URL the Tailscale "
        "client shows, and the key it was given has the wrong {what} (an `mkey:` key or a bare 24-character ID from "
        "an admin UI or script written for an older Headscale). Nothing was registered; the Tailscale client is "
        "fine and waits for the approval.",
        "Copy the whole ID after /register/ in the client's login URL (`hskey-authreq-…`) and run `headscale auth "
        "register --user <user> --auth-id <id>` (or the deprecated `headscale nodes register --user <user> --key "
        "<id>`); upgrade the admin web UI to a release made for this Headscale version.",
        "juanfont/headscale hscontrol/grpcv1.go, hscontrol/types/common.go (v0.29+)",
        "registering node: rpc error: code = Unknown desc = auth ID has invalid prefix: expected prefix "
        '"hskey-authreq-"',
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "type prefix mkey:",
        _HEADSCALE_WRAPPER + r"key hex string doesn't have expected type prefix mkey:",
        "Headscale refused to register the node before looking it up: Headscale 0.23-0.24 registers by the "
        "client's machine key, `mkey:` and 64 hex digits as the client's /register/<key> URL shows it, and the key "
        "it was given lacks that prefix (a `nodekey:` key from an admin UI or script written for Headscale 0.22 or "
        "older, or the hex without its prefix). Nothing was registered; the Tailscale client is fine and waits for "
        "the approval.",
        "Copy the key after /register/ in the client's login URL (`mkey:…`) and run `headscale nodes register "
        "--user <user> --key mkey:<hex>`; upgrade the admin web UI to a release made for this Headscale version.",
        "juanfont/headscale hscontrol/grpcv1.go (v0.23-v0.24); tailscale types/key/util.go",
        '{"code":2,"message":"key hex string doesn\'t have expected type prefix mkey:","details":[]}',
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "type prefix nodekey:",
        _HEADSCALE_WRAPPER + r"key hex string doesn't have expected type prefix nodekey:",
        "Headscale refused to register the node before looking it up: Headscale 0.22 and older register by the "
        "client's node key, `nodekey:` and 64 hex digits as the client's /register/<key> URL shows it, and the key "
        "it was given lacks that prefix (an `mkey:` key or an ID from an admin UI or script written for a newer "
        "Headscale). Nothing was registered; the Tailscale client is fine and waits for the approval.",
        "Copy the key after /register/ in the client's login URL (`nodekey:…`) and run `headscale nodes register "
        "--user <user> --key nodekey:<hex>`; use an admin web UI release made for this Headscale version.",
        "juanfont/headscale hscontrol/grpcv1.go, hscontrol/machine.go (v0.15-v0.22); tailscale types/key/util.go",
        "Cannot register machine: key hex string doesn't have expected type prefix nodekey:",
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "key hex has the wrong size",
        _HEADSCALE_WRAPPER + r"key hex has the wrong size, got (?P<got>\d+) want (?P<want>\d+)",
        "Headscale refused to register the node before looking it up: Headscale 0.24 and older register by the "
        "client's key (`mkey:` in 0.23-0.24, `nodekey:` before) with {want} hex digits, and the key it was given "
        "has {got} after its prefix (cut short, or a newer Headscale's registration ID behind the prefix). Nothing "
        "was registered; the Tailscale client is fine and waits for the approval.",
        "Copy the whole key after /register/ in the client's login URL and run `headscale nodes register --user "
        "<user> --key <key>`; use an admin web UI release made for this Headscale version.",
        "juanfont/headscale hscontrol/grpcv1.go (v0.15-v0.24); tailscale types/key/util.go",
        "Cannot register node: rpc error: code = Unknown desc = key hex has the wrong size, got 24 want 64",
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "looking up user: user not found",
        r"(?:^|: |desc = |[\x22'`])looking up user: user not found",
        "Headscale refused to register the node: no Headscale user has the name given for it (the CLI's --user, "
        "the API's user=). Nothing was registered; the Tailscale client is fine and waits for the approval.",
        "List the users with `headscale users list` (create one with `headscale users create <user>`), then run "
        "`headscale nodes register --user <existing user> --key <id from the client's /register/ URL>`.",
        "juanfont/headscale hscontrol/grpcv1.go (v0.24+)",
        "Cannot register node: looking up user: user not found",
    ),
    _entry(
        CliErrorKind.HEADSCALE_REGISTER_FAILED,
        "from auth callback, user not found",
        r"failed to find user in register (?:node|machine) from auth callback, user not found",
        "Headscale refused to register the node: no Headscale user has the name given for it (the CLI's --user or "
        "-n, the API's user=). Nothing was registered; the Tailscale client is fine and waits for the approval.",
        "List the users with `headscale users list` (create one with `headscale users create <user>`), then run "
        "`headscale nodes register --user <existing user> --key <key from the client's /register/ URL>`.",
        "juanfont/headscale hscontrol/db/node.go, hscontrol/machine.go (v0.15-v0.23)",
        "Cannot register node: failed to find user in register node from auth callback, user not found",
    ),
    # ------------------------------------------------------------------ NAS package web UI (QNAP, Synology)
    # The QNAP package's web UI asks QTS's own authLogin.cgi whether the browser's NAS session (NAS_SID/qtoken) is
    # valid (client/web/qnap.go qnapAuthnFinish: `Get "<scheme>://<host>/cgi-bin/authLogin.cgi?sid=…": <error>`);
    # before v1.36 it checked the certificate of QTS's forced HTTPS (self-signed, no IP SAN for 127.0.0.1).
    _entry(
        CliErrorKind.NAS_WEB_UI_AUTH_FAILED,
        "authlogin.cgi",
        r"Get \W?(?P<url>https://[^\s\x22]*/cgi-bin/authLogin\.cgi\S*?)\W?: (?P<error>x509: [^`\x22]*)",
        "The Tailscale QNAP package's web UI could not check your NAS login: it asks QTS's own authLogin.cgi over "
        "HTTPS ({url}) and rejected QTS's self-signed certificate ({error}). QTS's 'Force secure connection (HTTPS) "
        "only' sends that check to HTTPS, whose certificate names no IP such as 127.0.0.1. tailscaled is not "
        "involved and this is no TLS interception.",
        "Turn off 'Force secure connection (HTTPS) only' in QTS (Control Panel > System > General Settings), or "
        "open the Tailscale app over HTTP or a name the certificate covers; update the Tailscale package (1.36 and "
        "later skip that certificate check).",
        "client/web/qnap.go",
        'Get "https://127.0.0.1:443/cgi-bin/authLogin.cgi?sid=k0gygokg": x509: cannot validate certificate for '
        "127.0.0.1 because it doesn't contain any IP SANs",
    ),
    _entry(
        CliErrorKind.NAS_WEB_UI_AUTH_FAILED,
        "authlogin.cgi",
        r"Get \W?(?P<url>https?://[^\s\x22]*/cgi-bin/authLogin\.cgi\S*?)\W?: (?P<error>[^`\x22]+)",
        "The Tailscale QNAP package's web UI could not check your NAS login: its request to QTS's own "
        "authLogin.cgi ({url}) failed ({error}), so it cannot tell whether you are a NAS administrator. "
        "tailscaled is not involved.",
        "Open the Tailscale app from the QTS desktop while logged in as an administrator, at the address and "
        "port QTS itself answers on (HTTP, or HTTPS with 'Force secure connection' off); update the Tailscale "
        "package.",
        "client/web/qnap.go",
        'Get "http://localhost:8080/cgi-bin/authLogin.cgi?sid=abc": dial tcp 127.0.0.1:8080: connect: connection '
        "refused",
    ),
)
