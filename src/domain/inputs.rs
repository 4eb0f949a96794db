//! Reading the requests `verify` checks, recognised by content: raw HTTP/1.1 requests (any
//! header case, CRLF or LF, `Content-Length` honoured, chunked bodies decoded), `generate`'s JSON
//! object, and JSON Lines captures as `listen` writes them; plus `--header 'Name: value'` flags.
//! Pure: bytes in, requests out, or one error saying what is wrong and where. The one place that
//! talks to the `httparse` and `memchr` crates.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::domain::request::body_from_fields;

/// One request as received: headers in order and the exact body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// Where the request starts in its input (1-based), when an input holds several.
    pub line: Option<usize>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Why the body is not the one sent, when a capture record says so: it did not arrive
    /// whole, or it was too large to keep. Such a request has nothing to verify.
    pub body_missing: Option<String>,
}

/// What an input holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// One JSON request document.
    Requests(Vec<ReceivedRequest>),
    /// Raw HTTP requests, one or more back to back, each found but not yet read: finding them
    /// is one sequential pass, and [`RawRequest::to_received`] copies each out, in parallel if
    /// need be.
    HttpRequests(Vec<RawRequest<'a>>),
    /// JSON Lines: each `(line number, line)` is read on its own by [`parse_json_line`], so the
    /// lines of a large capture can be checked in parallel.
    JsonLines(Vec<(usize, &'a [u8])>),
}

impl Input<'_> {
    /// How many requests it holds.
    pub fn count(&self) -> usize {
        match self {
            Input::Requests(requests) => requests.len(),
            Input::HttpRequests(requests) => requests.len(),
            Input::JsonLines(lines) => lines.len(),
        }
    }
}

/// Why an input cannot be read as requests. Each message is one line naming the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the input is empty")]
    Empty,
    #[error(
        "not an HTTP request, a JSON request or a JSON Lines capture ({0} in the request line or headers)"
    )]
    NotRecognised(String),
    #[error(
        "not an HTTP request, a JSON request or a JSON Lines capture (binary data: a NUL byte at offset {0})"
    )]
    Binary(usize),
    #[error("the HTTP request is truncated: its headers do not end with a blank line")]
    TruncatedHead,
    #[error("the HTTP request's headers exceed {} KiB", MAX_HEAD_BYTES / 1024)]
    HeadTooLarge,
    #[error("the HTTP request has an invalid Content-Length `{0}`")]
    BadContentLength(String),
    #[error("the HTTP request has conflicting Content-Length headers")]
    ConflictingContentLength,
    #[error(
        "the HTTP request is truncated: Content-Length is {expected} but {found} body bytes follow"
    )]
    TruncatedBody { expected: u64, found: usize },
    #[error("the HTTP request's chunked body is malformed ({0})")]
    BadChunk(&'static str),
    #[error("the HTTP request's Transfer-Encoding `{0}` is not supported (only chunked)")]
    UnsupportedEncoding(String),
    #[error("a JSON array is not a request (give one object, or JSON Lines)")]
    JsonArray,
    #[error(
        "a JSON {0} is not a request (give one object with `headers` and `body`, or JSON Lines)"
    )]
    JsonValue(&'static str),
    #[error("line {line}: {problem}")]
    JsonLine { line: usize, problem: String },
    #[error("not a JSON request document: {0}")]
    JsonDocument(String),
    #[error("`{0}` is not a header (expected `Name: value`)")]
    HeaderFlag(String),
}

/// Where the first NUL byte of `bytes` is: text (JSON, an HTTP head) never holds one, so one
/// means binary data.
pub fn first_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// A larger head is not a webhook; refusing it keeps a stray binary file from being scanned.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 256;

/// Looks at an input's first bytes (at least [`MAX_HEAD_BYTES`] and one more, or the whole
/// input) and refuses it when they cannot start a request or a capture: NUL bytes in JSON or in
/// an HTTP head, a head that is not HTTP, or one too large. What it lets through is read in full
/// by [`recognise`], which says precisely what else is wrong; this only spares reading the rest
/// of an input such as `/dev/zero` or a binary file.
pub fn check_start(first: &[u8]) -> Result<(), InputError> {
    let Some(start) = first.iter().position(|byte| !byte.is_ascii_whitespace()) else {
        return Ok(());
    };
    let nul = first_nul(first);
    match first[start] {
        b'{' => nul.map_or(Ok(()), |offset| Err(InputError::Binary(offset))),
        b'[' => Err(InputError::JsonArray),
        _ => {
            let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::Request::new(&mut header_slots).parse(&first[start..]) {
                Ok(httparse::Status::Complete(_)) => Ok(()),
                Ok(httparse::Status::Partial) if first.len() - start > MAX_HEAD_BYTES => {
                    Err(InputError::HeadTooLarge)
                }
                Ok(httparse::Status::Partial) => Ok(()),
                Err(error) => Err(nul.map_or_else(
                    || InputError::NotRecognised(error.to_string()),
                    InputError::Binary,
                )),
            }
        }
    }
}

/// Recognises what `bytes` hold and reads them: a whole input, read as one block.
pub fn recognise(bytes: &[u8]) -> Result<Input<'_>, InputError> {
    let mut reader = BlockReader::default();
    let mut requests = reader.read(bytes, true)?.requests;
    if reader.held_one_http_request()
        && let Input::HttpRequests(only) = &mut requests
    {
        only[0].line = None;
    }
    Ok(requests)
}

/// Reads an input a block at a time, as [`recognise`] reads it whole: a JSON Lines capture or
/// raw HTTP requests yield the requests whole in each block, numbered by their line in the
/// input; anything else is read once the input has ended.
#[derive(Debug, Default)]
pub struct BlockReader {
    framing: Option<Framing>,
    /// Lines ended in the bytes used so far.
    lines_before: usize,
    http_requests: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    JsonLines,
    Http,
    /// Read whole by [`recognise`]: one JSON document, or an input to refuse.
    Whole,
}

/// The requests whole in a block, and how many of its bytes they used. None used means nothing
/// is whole yet: the same bytes are to come again, with more after them.
#[derive(Debug)]
pub struct Block<'a> {
    pub requests: Input<'a>,
    pub used: usize,
}

impl BlockReader {
    /// Reads the requests whole in `bytes`, the input's unused bytes so far; `at_end` says they
    /// run to its end, when all must be used or refused.
    pub fn read<'a>(&mut self, bytes: &'a [u8], at_end: bool) -> Result<Block<'a>, InputError> {
        let wait = Block {
            requests: Input::Requests(Vec::new()),
            used: 0,
        };
        let framing = match self.framing {
            Some(framing) => framing,
            None => match framing(bytes, at_end) {
                Some(framing) => *self.framing.insert(framing),
                None => return Ok(wait),
            },
        };
        match framing {
            Framing::Whole if at_end => Ok(Block {
                requests: self.read_whole(bytes)?,
                used: bytes.len(),
            }),
            Framing::Whole => Ok(wait),
            Framing::JsonLines => {
                let end = if at_end {
                    bytes.len()
                } else {
                    match memchr::memrchr(b'\n', bytes) {
                        Some(last) => last + 1,
                        None => return Ok(wait),
                    }
                };
                let (lines, ended) = numbered_lines(&bytes[..end], self.lines_before);
                self.lines_before += ended;
                Ok(Block {
                    requests: Input::JsonLines(lines),
                    used: end,
                })
            }
            Framing::Http => self.read_http(bytes, at_end),
        }
    }

    /// What `recognise` alone can tell of a whole input that is neither JSON Lines nor starts
    /// with an HTTP request: one JSON request document, or why it is none.
    fn read_whole<'a>(&mut self, bytes: &'a [u8]) -> Result<Input<'a>, InputError> {
        let start = bytes
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .ok_or(InputError::Empty)?;
        match bytes[start] {
            // A pretty-printed document, as `generate` prints: its first line is not whole.
            b'{' => {
                let request = parse_json(bytes).map_err(InputError::JsonDocument)?;
                Ok(Input::Requests(vec![request]))
            }
            b'[' => Err(InputError::JsonArray),
            // `null`, `42`, `"text"`: a whole JSON value that is no request, rather than an
            // HTTP request cut short.
            _ => match serde_json::from_slice::<Value>(bytes) {
                Ok(value) => Err(InputError::JsonValue(json_kind(&value))),
                Err(_) => {
                    self.framing = Some(Framing::Http);
                    Ok(self.read_http(bytes, true)?.requests)
                }
            },
        }
    }

    /// The raw HTTP requests whole in `bytes`. Before the input's end, a request is whole only
    /// when bytes follow it (one without Content-Length runs to the end), and one that may only
    /// be cut short by the block waits for the next; other errors are final at once.
    fn read_http<'a>(&mut self, bytes: &'a [u8], at_end: bool) -> Result<Block<'a>, InputError> {
        let mut lines = LineCounter::starting_at(bytes, self.lines_before + 1);
        let (requests, used) = http_requests_in(bytes, at_end, &mut lines)?;
        self.lines_before = lines.line_at(used) - 1;
        self.http_requests += requests.len();
        Ok(Block {
            requests: Input::HttpRequests(requests),
            used,
        })
    }

    /// Whether nothing of the input can be read before its end: it is neither JSON Lines nor
    /// raw HTTP requests.
    pub fn needs_whole_input(&self) -> bool {
        self.framing == Some(Framing::Whole)
    }

    /// Whether the input held one raw HTTP request: it is named by the input alone, as
    /// [`recognise`] names it, not by its line.
    pub fn held_one_http_request(&self) -> bool {
        self.framing == Some(Framing::Http) && self.http_requests == 1
    }
}

/// How an input is read, once its start shows it; `None` while more bytes are needed.
fn framing(bytes: &[u8], at_end: bool) -> Option<Framing> {
    let whole_or_wait = if at_end { Some(Framing::Whole) } else { None };
    let Some(start) = bytes.iter().position(|byte| !byte.is_ascii_whitespace()) else {
        return whole_or_wait;
    };
    match bytes[start] {
        b'{' => {
            let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |end| end + 1);
            let line_end = match memchr::memchr(b'\n', &bytes[start..]) {
                Some(end) => start + end,
                None if at_end => bytes.len(),
                None => return None,
            };
            let first_is_whole = serde_json::from_slice::<serde::de::IgnoredAny>(
                bytes[line_start..line_end].trim_ascii(),
            )
            .is_ok();
            Some(if first_is_whole {
                Framing::JsonLines
            } else {
                Framing::Whole
            })
        }
        b'[' => Some(Framing::Whole),
        _ => {
            // A whole HTTP head cannot start a JSON value, which `recognise` refuses first.
            let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::Request::new(&mut header_slots).parse(&bytes[start..]) {
                Ok(httparse::Status::Complete(_)) => Some(Framing::Http),
                Ok(httparse::Status::Partial) if bytes.len() - start <= MAX_HEAD_BYTES => {
                    whole_or_wait
                }
                _ => Some(Framing::Whole),
            }
        }
    }
}

/// The non-blank lines of `bytes`, trimmed, each with its 1-based number in the input, of which
/// `lines_before` lines came before `bytes`; and how many lines `bytes` end.
fn numbered_lines(bytes: &[u8], lines_before: usize) -> (Vec<(usize, &[u8])>, usize) {
    // Captures run to hundreds of megabytes: find line ends with memchr's vectorised search.
    let mut line_start = 0;
    let mut ended = 0;
    let lines = memchr::memchr_iter(b'\n', bytes)
        .inspect(|_| ended += 1)
        .chain([bytes.len()])
        .map(|line_end| {
            let line = &bytes[line_start..line_end];
            line_start = (line_end + 1).min(bytes.len());
            line
        })
        .enumerate()
        .map(|(index, line)| (lines_before + index + 1, line.trim_ascii()))
        .filter(|(_, line)| !line.is_empty())
        .collect();
    (lines, ended)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The fields `generate`'s JSON and `listen`'s capture records share; the others are ignored.
#[derive(Deserialize)]
struct RequestDocument {
    headers: Map<String, Value>,
    /// Header values that are not UTF-8 (capture records), in base64.
    #[serde(default)]
    headers_base64: Map<String, Value>,
    body: Option<String>,
    body_base64: Option<String>,
    /// Capture records only: the status answered, whether the body arrived whole, and what the
    /// HTTP layer refused before reading the request.
    status: Option<u16>,
    complete: Option<bool>,
    problem: Option<String>,
    refused: Option<String>,
}

/// Reads one line of a JSON Lines capture.
pub fn parse_json_line(line: usize, bytes: &[u8]) -> Result<ReceivedRequest, InputError> {
    let mut request =
        parse_json(bytes).map_err(|problem| InputError::JsonLine { line, problem })?;
    request.line = Some(line);
    Ok(request)
}

fn parse_json(bytes: &[u8]) -> Result<ReceivedRequest, String> {
    let document: RequestDocument =
        serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    let mut headers: Vec<(String, String)> = document
        .headers
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name, text)),
            _ => Err(format!("header `{name}` is not a string")),
        })
        .collect::<Result<_, _>>()?;
    for (name, value) in document.headers_base64 {
        let bytes = value
            .as_str()
            .map(|encoded| STANDARD.decode(encoded))
            .ok_or_else(|| format!("`headers_base64` `{name}` is not a string"))?
            .map_err(|error| format!("`headers_base64` `{name}` is not base64 ({error})"))?;
        // Signatures and ids are text: a value that is not UTF-8 can only fail to match.
        headers.push((name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    // The text is moved, not copied: a capture's bodies are most of its bytes.
    let body = match (document.body, document.body_base64.as_deref()) {
        (Some(text), _) => text.into_bytes(),
        (None, encoded) => body_from_fields(None, encoded)
            .ok_or_else(|| "no `body` or `body_base64` field".to_string())?
            .map_err(|error| format!("`body_base64` is not base64 ({error})"))?,
    };
    let body_missing = match (document.complete, document.status) {
        _ if document.refused.is_some() => Some(format!(
            "listen refused the request before reading it ({}{})",
            document.refused.as_deref().unwrap_or_default(),
            document
                .problem
                .as_deref()
                .map(|problem| format!(": {problem}"))
                .unwrap_or_default()
        )),
        (Some(false), _) => Some(format!(
            "the body did not arrive whole ({})",
            document.problem.as_deref().unwrap_or("cut short")
        )),
        // listen answers 413 to a body past --max-body and keeps none of it.
        (_, Some(413)) if body.is_empty() => {
            Some("the body was larger than listen's --max-body and was not kept".to_string())
        }
        _ => None,
    };
    Ok(ReceivedRequest {
        line: None,
        headers,
        body,
        body_missing,
    })
}

/// The 1-based line of each request in an input, asked for in increasing order of offset.
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: usize,
    #[cfg(test)]
    scanned: usize,
}

impl<'a> LineCounter<'a> {
    /// A counter whose `bytes` start on line `line` of the input.
    fn starting_at(bytes: &'a [u8], line: usize) -> Self {
        LineCounter {
            bytes,
            counted_to: 0,
            line,
            #[cfg(test)]
            scanned: 0,
        }
    }

    /// Counts only the bytes since the previous call: counting from the start of the input for
    /// every request made verifying thousands of concatenated requests take minutes.
    fn line_at(&mut self, offset: usize) -> usize {
        let unseen = &self.bytes[self.counted_to..offset];
        #[cfg(test)]
        {
            self.scanned += unseen.len();
        }
        self.line += memchr::memchr_iter(b'\n', unseen).count();
        self.counted_to = offset;
        self.line
    }
}

/// The raw HTTP requests written back to back in `bytes`, each numbered by `lines`, and the
/// bytes they used; see [`BlockReader::read_http`] for what is whole before the input's end.
fn http_requests_in<'a>(
    bytes: &'a [u8],
    at_end: bool,
    lines: &mut LineCounter<'_>,
) -> Result<(Vec<RawRequest<'a>>, usize), InputError> {
    let mut requests = Vec::new();
    let mut used = 0;
    while let Some(skipped) = bytes[used..]
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
    {
        let start = used + skipped;
        let (mut request, length) = match find_http_request(&bytes[start..]) {
            Ok((request, length)) if at_end || start + length < bytes.len() => (request, length),
            Ok(_) => break,
            Err(error) if at_end || !may_be_cut_short(&error) => return Err(error),
            Err(_) => break,
        };
        request.line = Some(lines.line_at(start));
        requests.push(request);
        used = start + length;
    }
    if at_end {
        used = bytes.len();
    }
    Ok((requests, used))
}

/// Whether `error` may only mean that the bytes stop before the request does.
fn may_be_cut_short(error: &InputError) -> bool {
    matches!(
        error,
        InputError::TruncatedHead | InputError::TruncatedBody { .. } | InputError::BadChunk(_)
    )
}

/// One raw HTTP request of an input: its head and body bytes, checked but not yet copied out.
#[derive(Debug, PartialEq, Eq)]
pub struct RawRequest<'a> {
    /// Where the request starts in its input (1-based), when an input holds several.
    pub line: Option<usize>,
    head: &'a [u8],
    /// The body as sent: a slice of the input, or decoded from chunks.
    body: Cow<'a, [u8]>,
}

impl RawRequest<'_> {
    /// The request with its headers and body copied out.
    pub fn to_received(&self) -> ReceivedRequest {
        let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut header_slots);
        let status = parsed.parse(self.head);
        debug_assert!(
            matches!(status, Ok(httparse::Status::Complete(length)) if length == self.head.len()),
            "the head parsed whole when the request was found"
        );
        ReceivedRequest {
            line: self.line,
            headers: parsed
                .headers
                .iter()
                .map(|header| {
                    (
                        header.name.to_string(),
                        header_text(header.value).into_owned(),
                    )
                })
                .collect(),
            body: self.body.to_vec(),
            body_missing: None,
        }
    }
}

/// A header's value as requests hold it: read as UTF-8, lossily, and trimmed.
fn header_text(value: &[u8]) -> Cow<'_, str> {
    match String::from_utf8_lossy(value) {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
    }
}

/// Finds one raw HTTP request at the start of `bytes`: the request and the bytes it used.
fn find_http_request(bytes: &[u8]) -> Result<(RawRequest<'_>, usize), InputError> {
    let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut header_slots);
    let head_length = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(length)) if length <= MAX_HEAD_BYTES => length,
        Ok(httparse::Status::Complete(_)) => return Err(InputError::HeadTooLarge),
        Ok(httparse::Status::Partial) if bytes.len() > MAX_HEAD_BYTES => {
            return Err(InputError::HeadTooLarge);
        }
        Ok(httparse::Status::Partial) => return Err(InputError::TruncatedHead),
        Err(error) => return Err(InputError::NotRecognised(error.to_string())),
    };
    let values = |name: &'static str| {
        parsed
            .headers
            .iter()
            .filter(move |header| header.name.eq_ignore_ascii_case(name))
            .map(|header| header_text(header.value))
    };
    let rest = &bytes[head_length..];
    let (body, body_used) = if is_chunked(values("Transfer-Encoding"))? {
        let (body, used) = decode_chunked(rest)?;
        (Cow::Owned(body), used)
    } else {
        match content_length(values("Content-Length"))? {
            Some(length) => {
                let available = rest.len();
                let length_in_input = usize::try_from(length)
                    .ok()
                    .filter(|length| *length <= available)
                    .ok_or(InputError::TruncatedBody {
                        expected: length,
                        found: available,
                    })?;
                (Cow::Borrowed(&rest[..length_in_input]), length_in_input)
            }
            // A hand-written dump without Content-Length: the body is all that follows.
            None => (Cow::Borrowed(rest), rest.len()),
        }
    };
    Ok((
        RawRequest {
            line: None,
            head: &bytes[..head_length],
            body,
        },
        head_length + body_used,
    ))
}

/// Whether the `Transfer-Encoding` values say the body is chunked.
fn is_chunked<V: AsRef<str>>(values: impl Iterator<Item = V>) -> Result<bool, InputError> {
    let mut chunked = false;
    for value in values {
        let value = value.as_ref();
        for coding in value.split(',').map(str::trim) {
            if coding.eq_ignore_ascii_case("chunked") {
                chunked = true;
            } else if !coding.eq_ignore_ascii_case("identity") {
                return Err(InputError::UnsupportedEncoding(coding.to_string()));
            }
        }
    }
    Ok(chunked)
}

/// The length the `Content-Length` values give, if any.
fn content_length<V: AsRef<str>>(
    values: impl Iterator<Item = V>,
) -> Result<Option<u64>, InputError> {
    let mut length = None;
    for value in values {
        let value = value.as_ref();
        let parsed = value
            .parse::<u64>()
            .ok()
            .filter(|_| value.bytes().all(|byte| byte.is_ascii_digit()))
            .ok_or_else(|| InputError::BadContentLength(value.to_string()))?;
        if length.is_some_and(|previous| previous != parsed) {
            return Err(InputError::ConflictingContentLength);
        }
        length = Some(parsed);
    }
    Ok(length)
}

/// Decodes a chunked body: the body and the bytes used, trailers included.
fn decode_chunked(bytes: &[u8]) -> Result<(Vec<u8>, usize), InputError> {
    let mut body = Vec::new();
    let mut offset = 0;
    loop {
        let (size_line, size) = chunk_size(&bytes[offset..])?;
        offset += size_line;
        if size == 0 {
            break;
        }
        let end = usize::try_from(size)
            .ok()
            .and_then(|size| offset.checked_add(size))
            .filter(|end| *end <= bytes.len())
            .ok_or(InputError::BadChunk("a chunk is shorter than its size"))?;
        body.extend_from_slice(&bytes[offset..end]);
        offset = end;
        offset += line_ending_length(&bytes[offset..]).ok_or(InputError::BadChunk(
            "a chunk does not end with a line break",
        ))?;
    }
    // Trailer fields, then the final empty line.
    loop {
        let line_end = bytes[offset..]
            .iter()
            .position(|byte| *byte == b'\n')
            .ok_or(InputError::BadChunk("truncated after the last chunk"))?;
        let line = &bytes[offset..offset + line_end];
        offset += line_end + 1;
        if line.is_empty() || line == b"\r" {
            return Ok((body, offset));
        }
    }
}

/// Reads a chunk-size line (`<hex>[;extension]`, ended by CRLF or LF): its length and the size.
fn chunk_size(bytes: &[u8]) -> Result<(usize, u64), InputError> {
    let line_end = memchr::memchr(b'\n', bytes).ok_or(InputError::BadChunk("truncated"))?;
    let line = &bytes[..line_end];
    // httparse reads an empty size as zero, which would end the body early.
    if !line.first().is_some_and(u8::is_ascii_hexdigit) {
        return Err(InputError::BadChunk("invalid chunk size"));
    }
    // httparse wants CRLF; hand-written dumps may end lines with LF alone.
    let crlf_line = if line.ends_with(b"\r") {
        Cow::Borrowed(&bytes[..=line_end])
    } else {
        Cow::Owned([line, b"\r\n"].concat())
    };
    match httparse::parse_chunk_size(&crlf_line) {
        Ok(httparse::Status::Complete((_, size))) => Ok((line_end + 1, size)),
        _ => Err(InputError::BadChunk("invalid chunk size")),
    }
}

fn line_ending_length(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(b"\r\n") {
        Some(2)
    } else if bytes.starts_with(b"\n") {
        Some(1)
    } else {
        None
    }
}

/// Reads a `--header 'Name: value'` flag.
pub fn parse_header_flag(text: &str) -> Result<(String, String), InputError> {
    match text.split_once(':') {
        Some((name, value))
            if !name.trim().is_empty() && !name.trim().contains(char::is_whitespace) =>
        {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(InputError::HeaderFlag(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests(bytes: &[u8]) -> Vec<ReceivedRequest> {
        match recognise(bytes).unwrap() {
            Input::Requests(requests) => requests,
            Input::HttpRequests(requests) => requests.iter().map(RawRequest::to_received).collect(),
            Input::JsonLines(lines) => lines
                .into_iter()
                .map(|(line, bytes)| parse_json_line(line, bytes).unwrap())
                .collect(),
        }
    }

    fn received(input: Input) -> Result<Vec<ReceivedRequest>, InputError> {
        match input {
            Input::Requests(requests) => Ok(requests),
            Input::HttpRequests(requests) => {
                Ok(requests.iter().map(RawRequest::to_received).collect())
            }
            Input::JsonLines(lines) => lines
                .into_iter()
                .map(|(line, bytes)| parse_json_line(line, bytes))
                .collect(),
        }
    }

    /// What `bytes` hold, read as `verify` reads an input: blocks of `size` bytes each handed
    /// with the bytes the previous one left unused; as many again when none were used, and the
    /// whole rest when nothing can be read before the end.
    fn read_in_blocks(bytes: &[u8], size: usize) -> Result<Vec<ReceivedRequest>, InputError> {
        let mut reader = BlockReader::default();
        let mut requests = Vec::new();
        let mut buffer = bytes[..size.min(bytes.len())].to_vec();
        let mut read = buffer.len();
        loop {
            let at_end = read == bytes.len();
            let block = reader.read(&buffer, at_end)?;
            requests.extend(received(block.requests)?);
            if at_end {
                break;
            }
            let more = match block.used {
                _ if reader.needs_whole_input() => bytes.len(),
                0 => buffer.len(),
                _ => size,
            };
            buffer.drain(..block.used);
            let end = read.saturating_add(more).min(bytes.len());
            buffer.extend_from_slice(&bytes[read..end]);
            read = end;
        }
        if reader.held_one_http_request() {
            requests[0].line = None;
        }
        Ok(requests)
    }

    /// Inputs of every kind, read whole and in blocks of every size up to their length: the
    /// same requests with the same line numbers, or the same error.
    #[test]
    fn an_input_read_in_blocks_holds_what_it_holds_read_whole() {
        let line = |seq: usize| {
            format!(
                r#"{{"seq":{seq},"headers":{{"x-cativa-signature":"t=1,v1=ab"}},"body":"{{\"n\":{seq}}}"}}"#
            )
        };
        let json_lines = format!("\n{}\r\n\n  {}\n{}", line(1), line(2), line(3));
        let bad_line = format!("{}\n{{\"headers\":\n{}\n", line(1), line(3));
        let http = concat!(
            "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nfirst\n\n",
            "POST /b HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nsec\n3\nond\n0\n\n",
            "POST /c HTTP/1.1\r\nContent-Length: 0\r\n\r\n\r\n",
            "POST /d HTTP/1.1\r\nX-Last: yes\r\n\r\nthe rest\nof the input\n",
        );
        let inputs: Vec<&[u8]> = vec![
            json_lines.as_bytes(),
            bad_line.as_bytes(),
            http.as_bytes(),
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nok",
            b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\ncut",
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokPOST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\n",
            b"{\n  \"headers\": {},\n  \"body\": \"pretty\"\n}\n",
            b"[1, 2]",
            b"null",
            b" \n\t ",
            b"not a request at all\n",
        ];
        for input in inputs {
            let whole = recognise(input).and_then(received);
            for size in 1..=input.len() + 1 {
                assert_eq!(
                    read_in_blocks(input, size),
                    whole,
                    "{:?} in blocks of {size}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    fn one(bytes: &[u8]) -> ReceivedRequest {
        let mut all = requests(bytes);
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    #[test]
    fn raw_http_with_crlf_or_lf_and_any_header_case() {
        let crlf = one(
            b"POST / HTTP/1.1\r\nx-cativa-SIGNATURE: t=1,v1=00\r\nContent-Length: 4\r\n\r\nbody",
        );
        assert_eq!(crlf.body, b"body");
        assert_eq!(
            crlf.headers[0],
            ("x-cativa-SIGNATURE".into(), "t=1,v1=00".into())
        );
        let lf = one(b"POST /hooks HTTP/1.1\nContent-Length: 3\n\nabc");
        assert_eq!(lf.body, b"abc");
    }

    #[test]
    fn content_length_is_honoured_and_several_requests_are_read() {
        let all = requests(
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].body, b"{}");
        assert_eq!(all[1].body, b"");
        assert_eq!((all[0].line, all[1].line), (Some(1), Some(6)));
    }

    #[test]
    fn requests_separated_by_blank_lines_are_numbered_by_their_first_line() {
        let input = b"\n\nPOST / HTTP/1.1\r\nContent-Length: 3\r\n\r\na\nb\n\r\n\
            POST /b HTTP/1.1\nContent-Length: 0\n\n\n\n\n\
            POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n\n\n\r\n0\r\n\r\n\
            POST /d HTTP/1.1\r\nContent-Length: 1\r\n\r\nx";
        let lines: Vec<_> = requests(input).iter().map(|r| r.line).collect();
        assert_eq!(lines, [Some(3), Some(9), Some(15), Some(24)]);
    }

    #[test]
    fn numbering_requests_scans_each_byte_once() {
        let one = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n";
        let input = one.repeat(1_000);
        let mut lines = LineCounter::starting_at(&input, 1);
        let (all, _) = http_requests_in(&input, true, &mut lines).unwrap();
        assert_eq!(all.len(), 1_000);
        assert_eq!(all[999].line, Some(1 + 999 * 5));
        let last_start = input.len() - one.len();
        assert_eq!(lines.scanned, last_start);
    }

    #[test]
    fn without_content_length_the_body_is_the_rest() {
        assert_eq!(one(b"POST / HTTP/1.1\n\n{\"a\":1}\n").body, b"{\"a\":1}\n");
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let request = one(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nRust\r\n6;ext=1\r\n is ok\r\n0\r\nTrailer: x\r\n\r\n",
        );
        assert_eq!(request.body, b"Rust is ok");
        let lf =
            one(b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\nA; name=\"v\"\n0123456789\n0\n\n");
        assert_eq!(lf.body, b"0123456789");
    }

    #[test]
    fn chunk_sizes_are_bare_hex_digits() {
        let chunked = |size_line: &str| {
            let input = format!(
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{size_line}\r\nRust\r\n0\r\n\r\n"
            );
            recognise(input.as_bytes()).map(|_| ())
        };
        let invalid = Err(InputError::BadChunk("invalid chunk size"));
        assert_eq!(chunked("4"), Ok(()));
        assert_eq!(chunked("4 ;ext"), Ok(()));
        for size_line in ["+4", "", ";ext", "4x", "0x4", "4\r", "11111111111111111"] {
            assert_eq!(chunked(size_line), invalid, "{size_line:?}");
        }
    }

    #[test]
    fn first_bytes_that_cannot_start_a_request_are_refused() {
        assert_eq!(check_start(&[0; 1000]), Err(InputError::Binary(0)));
        assert_eq!(check_start(b"  {\"a\x00"), Err(InputError::Binary(5)));
        assert_eq!(check_start(b"[1,2"), Err(InputError::JsonArray));
        assert!(matches!(
            check_start(b"y\ny\ny\n"),
            Err(InputError::NotRecognised(_))
        ));
        let mut long_head = b"POST / HTTP/1.1\r\nX: ".to_vec();
        long_head.resize(MAX_HEAD_BYTES + 1, b'a');
        assert_eq!(check_start(&long_head), Err(InputError::HeadTooLarge));
        // What may still turn out to be a request is left to `recognise`, which reads it all.
        for first in [
            &b""[..],
            b" \n\t",
            b"{\"headers\": {",
            b"POST / HT",
            b"POST / HTTP/1.1\r\n\r\n\x00\x00",
        ] {
            assert_eq!(check_start(first), Ok(()), "{first:?}");
        }
    }

    #[test]
    fn malformed_http_is_a_precise_error() {
        let error = |bytes: &[u8]| recognise(bytes).unwrap_err();
        assert_eq!(error(b""), InputError::Empty);
        assert!(matches!(
            error(b"\x00\x01\xff garbage"),
            InputError::NotRecognised(_)
        ));
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nHost: x\r\n"),
            InputError::TruncatedHead
        );
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"),
            InputError::TruncatedBody {
                expected: 10,
                found: 3
            }
        );
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            InputError::BadContentLength("-1".into())
        );
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            InputError::ConflictingContentLength
        );
        let huge = format!(
            "POST / HTTP/1.1\r\nX-Big: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(error(huge.as_bytes()), InputError::HeadTooLarge);
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
            InputError::BadChunk("a chunk is shorter than its size")
        );
        assert_eq!(
            error(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            InputError::UnsupportedEncoding("gzip".into())
        );
        assert_eq!(error(b"[1]"), InputError::JsonArray);
        assert_eq!(error(b"null\n"), InputError::JsonValue("null"));
        assert_eq!(error(b" 42"), InputError::JsonValue("number"));
    }

    #[test]
    fn generate_json_documents_are_read() {
        let request = one(
            b"{\n  \"event\": \"user_created\",\n  \"headers\": {\"X-A\": \"1\"},\n  \"body\": \"{}\"\n}\n",
        );
        assert_eq!(request.headers, [("X-A".to_string(), "1".to_string())]);
        assert_eq!(request.body, b"{}");
        assert_eq!(request.line, None);
        let binary = one(br#"{"headers": {}, "body_base64": "/wA="}"#);
        assert_eq!(binary.body, [0xff, 0x00]);
        let odd = one(br#"{"headers": {"a": "1"}, "headers_base64": {"b": "dv8="}, "body": ""}"#);
        assert_eq!(
            odd.headers,
            [("a".into(), "1".into()), ("b".into(), "v\u{fffd}".into())]
        );
    }

    #[test]
    fn a_repeated_header_keeps_its_first_place_and_its_last_value() {
        let request =
            parse_json_line(1, br#"{"headers":{"a":"1","b":"2","a":"3"},"body":"x"}"#).unwrap();
        assert_eq!(
            request.headers,
            vec![
                ("a".to_string(), "3".to_string()),
                ("b".to_string(), "2".to_string())
            ]
        );
        let error = parse_json_line(1, br#"{"headers":"a","body":"x"}"#).unwrap_err();
        assert!(error.to_string().contains("expected a map"), "{error}");
    }

    #[test]
    fn json_lines_are_read_with_their_line_numbers() {
        let record = crate::domain::capture::CaptureRecord::new(
            "2023-11-14T22:13:20Z".into(),
            "POST".into(),
            "/".into(),
            b"{\"a\":1}",
        );
        let line = serde_json::to_string(&record).unwrap();
        let capture = format!("{line}\n\n{line}\n");
        let all = requests(capture.as_bytes());
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].line, all[1].line), (Some(1), Some(3)));
        assert_eq!(all[1].body, b"{\"a\":1}");
    }

    #[test]
    fn malformed_json_names_the_line_and_field() {
        let Input::JsonLines(lines) = recognise(
            b"{\"headers\":{},\"body\":\"\"}\n{\"headers\":{\"A\":1},\"body\":\"\"}\n{oops\n",
        )
        .unwrap() else {
            panic!("JSON Lines expected");
        };
        assert!(parse_json_line(lines[0].0, lines[0].1).is_ok());
        assert_eq!(
            parse_json_line(lines[1].0, lines[1].1)
                .unwrap_err()
                .to_string(),
            "line 2: header `A` is not a string"
        );
        assert!(
            parse_json_line(lines[2].0, lines[2].1)
                .unwrap_err()
                .to_string()
                .starts_with("line 3: key must be a string")
        );
        assert_eq!(
            recognise(b"{\n\"headers\": {}\n}").unwrap_err().to_string(),
            "not a JSON request document: no `body` or `body_base64` field"
        );
        assert!(
            recognise(b"{\n\"body\": \"\"\n}")
                .unwrap_err()
                .to_string()
                .contains("missing field `headers`")
        );
    }

    #[test]
    fn header_flags_need_a_name_and_a_colon() {
        assert_eq!(
            parse_header_flag("X-Hub-Signature-256: sha256=ab").unwrap(),
            ("X-Hub-Signature-256".into(), "sha256=ab".into())
        );
        assert!(parse_header_flag("no colon").is_err());
        assert!(parse_header_flag(": value").is_err());
    }
}
