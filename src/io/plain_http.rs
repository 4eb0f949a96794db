//! HTTP/1.1 spoken directly on a plain TCP connection, one exchange at a time: the request goes
//! out in one write, and the answer is parsed with httparse as its bytes arrive.
//!
//! A delivery is one POST and one answer on a kept-alive connection. A general-purpose client
//! would add a task to drive each connection, a channel to reach it and a header map per
//! request, which together cost more than the rest of an attempt. The request written is byte
//! for byte what hyper's client writes: lowercase header names, `host` and `user-agent` first,
//! `content-length` last. Answers are framed as RFC 9112 says a client frames them: interim
//! 1xx answers skipped, `204` and `304` without a body, then `Transfer-Encoding: chunked`,
//! `Content-Length`, or the body running until the receiver closes.

use std::io::{ErrorKind, IoSlice};
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::domain::delivery_log::Response;
use crate::domain::request::{WebhookRequest, is_token};

/// Body bytes read before giving up on reusing the connection: a longer answer is not read to
/// its end.
pub const BODY_DRAIN_BYTES: usize = 64 * 1024;
/// The longest head of an answer, as hyper's client allows.
const MAX_HEAD_BYTES: usize = 8192 + 4096 * 100;
/// The most header fields in the head of an answer, as hyper's client allows.
const MAX_HEADERS: usize = 100;
/// Bytes of chunk framing (sizes, extensions, trailers) tolerated beyond the drained body
/// before the answer is cut short like a long body.
const MAX_FRAMING_BYTES: usize = 64 * 1024;
/// Room made for each read: answers shorter than this arrive in one read, and a read that does
/// not fill it tells the runtime the socket is drained (no read is wasted to learn it).
const READ_ROOM: usize = 8 * 1024;
/// A buffer grown larger than this by a long answer is let go of after it.
const KEPT_BUFFER_BYTES: usize = 64 * 1024;
/// How an answer cut short by the receiver closing the connection is reported, in hyper's words.
const CLOSED_EARLY: &str = "connection closed before message completed";

/// What every request of a run to one target starts with.
pub struct RequestBase {
    /// `host: …`, as the target's URL gives it.
    pub host: String,
    /// The path and query to POST to.
    pub path: String,
    /// The `user-agent` sent when the request carries none of its own.
    pub user_agent: &'static str,
}

/// One open connection, and the buffers its exchanges reuse.
pub struct LiveConnection {
    stream: TcpStream,
    outgoing: Vec<u8>,
    incoming: Vec<u8>,
}

impl LiveConnection {
    pub fn new(stream: TcpStream) -> LiveConnection {
        LiveConnection {
            stream,
            outgoing: Vec::new(),
            incoming: Vec::new(),
        }
    }

    /// Whether the connection can carry another request: the receiver has neither closed it nor
    /// sent anything unasked while it was idle. Makes no system call unless the socket became
    /// readable meanwhile.
    pub fn is_open(&self) -> bool {
        let mut context = Context::from_waker(Waker::noop());
        match self.stream.poll_read_ready(&mut context) {
            Poll::Pending => true,
            Poll::Ready(Err(_)) => false,
            // Readable: at the end of its stream, or a stale readiness that a read clears.
            Poll::Ready(Ok(())) => {
                let mut probe = [0; 1];
                matches!(self.stream.try_read(&mut probe), Err(error) if error.kind() == ErrorKind::WouldBlock)
            }
        }
    }

    /// Sends `request` and reads the answer: the answer, and whether the connection can carry
    /// the next request (the answer was read to its end and the receiver keeps it open).
    pub async fn exchange(
        &mut self,
        base: &RequestBase,
        request: &WebhookRequest,
    ) -> Result<(Response, bool), Failure> {
        self.outgoing.clear();
        write_head(&mut self.outgoing, base, request).map_err(Failure::Unsendable)?;
        write_all(&mut self.stream, &self.outgoing, &request.body)
            .await
            .map_err(Failure::Io)?;
        self.incoming.clear();
        let mut reader = ResponseReader::default();
        let reusable = loop {
            if self.incoming.capacity() - self.incoming.len() < READ_ROOM / 2 {
                self.incoming.reserve(READ_ROOM);
            }
            let read = self
                .stream
                .read_buf(&mut self.incoming)
                .await
                .map_err(Failure::Io)?;
            let progress = if read == 0 {
                reader.at_end(&self.incoming)
            } else {
                reader.advance(&self.incoming)
            };
            match progress.map_err(Failure::Protocol)? {
                Progress::More => continue,
                Progress::Complete { reusable } => break reusable,
            }
        };
        if self.incoming.capacity() > KEPT_BUFFER_BYTES {
            self.incoming = Vec::new();
        }
        Ok((reader.answer(), reusable))
    }
}

/// Why an exchange got no answer.
#[derive(Debug)]
pub enum Failure {
    /// The request cannot be written as HTTP; nothing was sent.
    Unsendable(String),
    /// The connection failed.
    Io(std::io::Error),
    /// The receiver's answer is not HTTP, or ended early.
    Protocol(&'static str),
}

/// Writes `head` then `body`, each byte once, as few writes as the socket takes them in.
async fn write_all(stream: &mut TcpStream, head: &[u8], body: &[u8]) -> std::io::Result<()> {
    let (mut head, mut body) = (head, body);
    while !head.is_empty() || !body.is_empty() {
        let written = stream
            .write_vectored(&[IoSlice::new(head), IoSlice::new(body)])
            .await?;
        if written == 0 {
            return Err(ErrorKind::WriteZero.into());
        }
        let from_head = written.min(head.len());
        head = &head[from_head..];
        body = &body[written - from_head..];
    }
    Ok(())
}

/// The request line and headers of `request`, ending with the blank line. Header names are
/// checked as HTTP tokens and values as field values, as an HTTP library would.
fn write_head(
    out: &mut Vec<u8>,
    base: &RequestBase,
    request: &WebhookRequest,
) -> Result<(), String> {
    if !is_token(&request.method) {
        return Err(format!("`{}` is not a valid HTTP method", request.method));
    }
    let fields: usize = request
        .headers
        .iter()
        .map(|(name, value)| name.len() + value.len() + 4)
        .sum();
    out.reserve(fields + base.path.len() + base.host.len() + 128);
    out.extend_from_slice(request.method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(base.path.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
    out.extend_from_slice(base.host.as_bytes());
    out.extend_from_slice(b"\r\n");
    // A provider's own User-Agent (a pack's [headers]) replaces hooktool's rather than joining it.
    if !request
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("user-agent"))
    {
        out.extend_from_slice(b"user-agent: ");
        out.extend_from_slice(base.user_agent.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    for (name, value) in &request.headers {
        if !is_token(name) {
            return Err(format!("`{name}` is not a valid header name"));
        }
        if !is_field_value(value) {
            return Err(format!(
                "the {} header's value is not valid in HTTP",
                name.to_ascii_lowercase()
            ));
        }
        let start = out.len();
        out.extend_from_slice(name.as_bytes());
        out[start..].make_ascii_lowercase();
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"content-length: ");
    out.extend_from_slice(itoa::Buffer::new().format(request.body.len()).as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    Ok(())
}

/// A header value without control characters other than tab, as HTTP libraries accept them.
fn is_field_value(text: &str) -> bool {
    let refused = |byte: u8| u8::from((byte < b' ' && byte != b'\t') || byte == 0x7f);
    // Every byte looked at, without stopping at the first refused one, which the compiler
    // turns into vector instructions: every request carries long signature values.
    text.bytes().fold(0, |found, byte| found | refused(byte)) == 0
}

/// How far an answer has been read.
#[derive(Debug, PartialEq, Eq)]
enum Progress {
    More,
    Complete { reusable: bool },
}

/// How the answer's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Not read yet: the head is still arriving.
    Head,
    /// This many bytes are still to come.
    Length(u64),
    Chunked(Chunk),
    /// When the receiver closes the connection.
    UntilClose,
}

/// Where a chunked body stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// A chunk's size line comes next.
    Size,
    /// This many bytes of the chunk's data are still to come.
    Data(u64),
    /// The line break after a chunk's data.
    DataEnd,
    /// The trailer section after the last chunk, ending with a blank line.
    Trailers,
}

/// One answer, read from the bytes a connection delivered since its request went out: they
/// are passed whole each time more arrive, and each is looked at once.
#[derive(Debug)]
struct ResponseReader {
    /// The next byte to look at.
    cursor: usize,
    /// Where the search for the end of the head resumes.
    searched: usize,
    body: Body,
    keep_alive: bool,
    answer: Response,
}

impl Default for ResponseReader {
    fn default() -> Self {
        ResponseReader {
            cursor: 0,
            searched: 0,
            body: Body::Head,
            keep_alive: false,
            answer: Response {
                status: 0,
                reason: None,
                retry_after: None,
                location: None,
                body_excerpt: Vec::new(),
                body_len: 0,
            },
        }
    }
}

impl ResponseReader {
    fn answer(self) -> Response {
        self.answer
    }

    /// Takes in `bytes`, everything read so far.
    fn advance(&mut self, bytes: &[u8]) -> Result<Progress, &'static str> {
        loop {
            match self.body {
                Body::Head => {
                    if !self.read_head(bytes)? {
                        return Ok(Progress::More);
                    }
                }
                Body::Length(0) => return Ok(self.complete(bytes)),
                Body::Length(left) => {
                    let taken = left.min((bytes.len() - self.cursor) as u64) as usize;
                    self.take_body(&bytes[self.cursor..self.cursor + taken]);
                    self.body = Body::Length(left - taken as u64);
                    if left > taken as u64 {
                        return Ok(self.more_or_drained(bytes));
                    }
                }
                Body::UntilClose => {
                    self.take_body(&bytes[self.cursor..]);
                    return Ok(self.more_or_drained(bytes));
                }
                Body::Chunked(chunk) => {
                    if !self.read_chunked(chunk, bytes)? {
                        return Ok(self.more_or_drained(bytes));
                    }
                }
            }
        }
    }

    /// The receiver closed the connection after `bytes`.
    fn at_end(&mut self, bytes: &[u8]) -> Result<Progress, &'static str> {
        match self.advance(bytes)? {
            Progress::Complete { reusable } => Ok(Progress::Complete { reusable }),
            Progress::More if self.body == Body::UntilClose => {
                Ok(Progress::Complete { reusable: false })
            }
            Progress::More => Err(CLOSED_EARLY),
        }
    }

    /// Parses the head once its end has arrived; false while it has not.
    fn read_head(&mut self, bytes: &[u8]) -> Result<bool, &'static str> {
        // Only the bytes that arrived since the last look, and the two before them.
        let from = self.searched.saturating_sub(2).max(self.cursor);
        if blank_line_end(&bytes[from..]).is_none() {
            self.searched = bytes.len();
            if bytes.len() - self.cursor > MAX_HEAD_BYTES {
                return Err("message head is too large");
            }
            return Ok(false);
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut head = httparse::Response::new(&mut headers);
        let length = match head.parse(&bytes[self.cursor..]) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) => {
                self.searched = bytes.len();
                return Ok(false);
            }
            Err(error) => return Err(parse_error(error)),
        };
        let status = head.code.unwrap_or(0);
        let Ok(code) = hyper::StatusCode::from_u16(status) else {
            return Err("invalid HTTP status-code parsed");
        };
        self.cursor += length;
        self.searched = self.cursor;
        // An interim answer (100 Continue, 103 Early Hints): the real one follows.
        if code.is_informational() && status != 101 {
            return Ok(true);
        }
        let version_1_1 = head.version == Some(1);
        let mut close = false;
        let mut keep_alive_asked = false;
        let mut chunked = None;
        let mut length = None;
        for header in head.headers.iter() {
            let name = header.name;
            if name.eq_ignore_ascii_case("connection") {
                for token in header.value.split(|byte| *byte == b',') {
                    let token = token.trim_ascii();
                    close |= token.eq_ignore_ascii_case(b"close");
                    keep_alive_asked |= token.eq_ignore_ascii_case(b"keep-alive");
                }
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                if !version_1_1 {
                    return Err("invalid HTTP header parsed");
                }
                // Only the last coding frames the body.
                let last = header.value.rsplit(|byte| *byte == b',').next();
                chunked =
                    Some(last.is_some_and(|coding| {
                        coding.trim_ascii().eq_ignore_ascii_case(b"chunked")
                    }));
            } else if name.eq_ignore_ascii_case("content-length") {
                for value in header.value.split(|byte| *byte == b',') {
                    let value = std::str::from_utf8(value.trim_ascii())
                        .ok()
                        .filter(|digits| {
                            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
                        })
                        .and_then(|digits| digits.parse::<u64>().ok())
                        .ok_or("invalid content-length parsed")?;
                    if length.is_some_and(|known| known != value) {
                        return Err("invalid content-length parsed");
                    }
                    length = Some(value);
                }
            } else if name.eq_ignore_ascii_case("retry-after") {
                self.answer.retry_after = Some(String::from_utf8_lossy(header.value).into_owned());
            } else if name.eq_ignore_ascii_case("location") {
                self.answer.location = Some(String::from_utf8_lossy(header.value).into_owned());
            }
        }
        self.answer.status = status;
        self.answer.reason = code.canonical_reason();
        self.keep_alive = if version_1_1 {
            !close
        } else {
            keep_alive_asked && !close
        };
        self.body = if status == 101 {
            self.keep_alive = false;
            Body::Length(0)
        } else if status == 204 || status == 304 {
            Body::Length(0)
        } else {
            match (chunked, length) {
                (Some(true), _) => Body::Chunked(Chunk::Size),
                (Some(false), _) => Body::UntilClose,
                (None, Some(length)) => Body::Length(length),
                (None, None) => Body::UntilClose,
            }
        };
        Ok(true)
    }

    /// Reads a chunked body as far as `bytes` go; true once it ended.
    fn read_chunked(&mut self, mut chunk: Chunk, bytes: &[u8]) -> Result<bool, &'static str> {
        let ended = loop {
            let rest = &bytes[self.cursor..];
            match chunk {
                // httparse reads an empty size as zero, which would end the body early.
                Chunk::Size if rest.first().is_some_and(|byte| !byte.is_ascii_hexdigit()) => {
                    return Err("invalid chunk size line");
                }
                Chunk::Size => match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete((used, 0))) => {
                        self.cursor += used;
                        chunk = Chunk::Trailers;
                    }
                    Ok(httparse::Status::Complete((used, size))) => {
                        self.cursor += used;
                        chunk = Chunk::Data(size);
                    }
                    Ok(httparse::Status::Partial) => break false,
                    Err(_) => return Err("invalid chunk size line"),
                },
                Chunk::Data(left) => {
                    let taken = left.min(rest.len() as u64) as usize;
                    self.take_body(&rest[..taken]);
                    chunk = if left > taken as u64 {
                        Chunk::Data(left - taken as u64)
                    } else {
                        Chunk::DataEnd
                    };
                    if taken == rest.len() {
                        break false;
                    }
                }
                Chunk::DataEnd => match line_break(rest) {
                    Some(0) => break false,
                    Some(used) => {
                        self.cursor += used;
                        chunk = Chunk::Size;
                    }
                    None => return Err("invalid chunk body: no line break after the data"),
                },
                Chunk::Trailers => match trailers_end(rest) {
                    Some(used) => {
                        self.cursor += used;
                        break true;
                    }
                    None => break false,
                },
            }
        };
        self.body = if ended {
            Body::Length(0)
        } else {
            Body::Chunked(chunk)
        };
        Ok(ended)
    }

    fn take_body(&mut self, data: &[u8]) {
        self.answer.take_body(data);
        self.cursor += data.len();
    }

    /// More is to come, unless enough was read of a long answer (the connection is then given
    /// up rather than drained further).
    fn more_or_drained(&self, bytes: &[u8]) -> Progress {
        let framing = (bytes.len() - self.answer.body_len).saturating_sub(MAX_HEAD_BYTES);
        if self.answer.body_len >= BODY_DRAIN_BYTES || framing > MAX_FRAMING_BYTES {
            Progress::Complete { reusable: false }
        } else {
            Progress::More
        }
    }

    /// The answer ended at the cursor: bytes after it were not asked for.
    fn complete(&self, bytes: &[u8]) -> Progress {
        Progress::Complete {
            reusable: self.keep_alive && self.cursor == bytes.len(),
        }
    }
}

/// Where the first empty line in `bytes` ends, once it has arrived: the end of a head or of a
/// trailer section. Lines end in CRLF or LF alone.
fn blank_line_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(2)
        .enumerate()
        .find_map(|(at, pair)| match pair {
            b"\n\n" => Some(at + 2),
            b"\n\r" if bytes.get(at + 2) == Some(&b'\n') => Some(at + 3),
            _ => None,
        })
}

/// The length of the line break `bytes` start with: `Some(0)` while it has not arrived, `None`
/// when something else is there.
fn line_break(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [] | [b'\r'] => Some(0),
        [b'\r', b'\n', ..] => Some(2),
        [b'\n', ..] => Some(1),
        _ => None,
    }
}

/// The length of the trailer section `bytes` start with, once its blank line has arrived.
fn trailers_end(bytes: &[u8]) -> Option<usize> {
    match line_break(bytes) {
        Some(0) => None,
        Some(used) => Some(used),
        None => blank_line_end(bytes),
    }
}

/// httparse's error, in the words hyper's client uses for it.
fn parse_error(error: httparse::Error) -> &'static str {
    match error {
        httparse::Error::Status => "invalid HTTP status-code parsed",
        httparse::Error::Version => "invalid HTTP version parsed",
        httparse::Error::TooManyHeaders => "message head is too large",
        _ => "invalid HTTP header parsed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `bytes` as one answer arriving in pieces of `piece` bytes, then the end of the
    /// stream if `closes`.
    fn read_in_pieces(
        bytes: &[u8],
        piece: usize,
        closes: bool,
    ) -> Result<(Response, bool), &'static str> {
        let mut reader = ResponseReader::default();
        let mut arrived = Vec::new();
        for chunk in bytes.chunks(piece.max(1)) {
            arrived.extend_from_slice(chunk);
            if let Progress::Complete { reusable } = reader.advance(&arrived)? {
                return Ok((reader.answer(), reusable));
            }
        }
        if !closes {
            return Err("still waiting");
        }
        match reader.at_end(&arrived)? {
            Progress::Complete { reusable } => Ok((reader.answer(), reusable)),
            Progress::More => unreachable!("the end of the stream ends every answer"),
        }
    }

    /// The same answer, whichever way its bytes are split.
    fn read(bytes: &[u8], closes: bool) -> Result<(Response, bool), &'static str> {
        let whole = read_in_pieces(bytes, bytes.len(), closes);
        for piece in 1..bytes.len().min(64) {
            let split = read_in_pieces(bytes, piece, closes);
            assert_eq!(
                format!("{split:?}"),
                format!("{whole:?}"),
                "in pieces of {piece}"
            );
        }
        whole
    }

    #[test]
    fn a_sized_answer_is_read_to_its_end_and_keeps_the_connection() {
        let (answer, reusable) = read(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nbusy",
            false,
        )
        .unwrap();
        assert!(reusable);
        assert_eq!(answer.status, 503);
        assert_eq!(answer.reason, Some("Service Unavailable"));
        assert_eq!(answer.retry_after.as_deref(), Some("3"));
        assert_eq!(answer.body_excerpt, b"busy");
        assert_eq!(answer.body_len, 4);
    }

    #[test]
    fn chunked_bodies_are_decoded_with_extensions_and_trailers() {
        let (answer, reusable) = read(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
              3;name=value\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nExpires: never\r\n\r\n",
            false,
        )
        .unwrap();
        assert!(reusable);
        assert_eq!(answer.body_excerpt, b"abc0123456789abcdef");
        let (answer, reusable) = read(
            b"HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n",
            false,
        )
        .unwrap();
        assert!(reusable);
        assert_eq!(
            (answer.status, answer.body_excerpt.as_slice()),
            (400, &b"no"[..])
        );
    }

    #[test]
    fn interim_answers_are_skipped_and_bodiless_statuses_end_at_their_head() {
        let (answer, reusable) = read(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n\
              HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n",
            false,
        )
        .unwrap();
        assert!(reusable);
        assert_eq!(answer.status, 204);
        assert_eq!(answer.body_len, 0);
    }

    #[test]
    fn an_answer_without_a_length_runs_until_the_receiver_closes() {
        let (answer, reusable) = read(b"HTTP/1.1 200 OK\r\n\r\nuntil the end", true).unwrap();
        assert!(!reusable);
        assert_eq!(answer.body_excerpt, b"until the end");
        assert_eq!(
            read(b"HTTP/1.1 200 OK\r\n\r\nmore to come", false).unwrap_err(),
            "still waiting"
        );
    }

    #[test]
    fn the_connection_is_kept_only_when_the_receiver_keeps_it() {
        let reusable = |head: &str| {
            read(format!("{head}Content-Length: 0\r\n\r\n").as_bytes(), false)
                .unwrap()
                .1
        };
        assert!(reusable("HTTP/1.1 200 OK\r\n"));
        assert!(!reusable("HTTP/1.1 200 OK\r\nConnection: close\r\n"));
        assert!(!reusable(
            "HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\n"
        ));
        assert!(!reusable("HTTP/1.0 200 OK\r\n"));
        assert!(reusable("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"));
        // Bytes nobody asked for after the answer: the connection is not trusted further.
        let mut reader = ResponseReader::default();
        assert_eq!(
            reader.advance(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP"),
            Ok(Progress::Complete { reusable: false })
        );
    }

    #[test]
    fn answers_that_are_not_http_are_named_as_hyper_names_them() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        let cases: [(&str, bool, &str); 12] = [
            (
                "SSH-2.0-OpenSSH\r\n\r\n",
                false,
                "invalid HTTP version parsed",
            ),
            (
                "HTTP/1.1 2x0 OK\r\n\r\n",
                false,
                "invalid HTTP status-code parsed",
            ),
            (
                "HTTP/1.1 099 Low\r\n\r\n",
                false,
                "invalid HTTP status-code parsed",
            ),
            (
                "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                false,
                "invalid HTTP header parsed",
            ),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n",
                false,
                "invalid content-length parsed",
            ),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                false,
                "invalid content-length parsed",
            ),
            (
                &format!("{chunked}zz\r\n"),
                false,
                "invalid chunk size line",
            ),
            (&format!("{chunked}\r\n"), false, "invalid chunk size line"),
            (
                &format!("{chunked}1\r\nab\r\n"),
                false,
                "invalid chunk body: no line break after the data",
            ),
            ("HTTP/1.1 200 OK\r\nContent-Len", true, CLOSED_EARLY),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
                true,
                CLOSED_EARLY,
            ),
            ("", true, CLOSED_EARLY),
        ];
        for (answer, closes, expected) in cases {
            assert_eq!(
                read(answer.as_bytes(), closes).unwrap_err(),
                expected,
                "{answer:?}"
            );
        }
    }

    #[test]
    fn long_answers_are_given_up_on_after_a_bounded_read() {
        let mut reader = ResponseReader::default();
        let mut bytes = b"HTTP/1.1 500 Oops\r\nContent-Length: 10000000\r\n\r\n".to_vec();
        bytes.resize(bytes.len() + BODY_DRAIN_BYTES, b'x');
        assert_eq!(
            reader.advance(&bytes),
            Ok(Progress::Complete { reusable: false })
        );
        let answer = reader.answer();
        assert_eq!(answer.body_len, BODY_DRAIN_BYTES);
        assert_eq!(answer.body_excerpt.len(), 512);

        // Endless chunk framing with no data in it.
        let mut reader = ResponseReader::default();
        let mut bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let mut progress = Progress::More;
        while progress == Progress::More {
            bytes.extend_from_slice(b"1;padding-padding-padding-padding\r\nx\r\n");
            progress = reader.advance(&bytes).unwrap();
        }
        assert!(bytes.len() < BODY_DRAIN_BYTES + MAX_HEAD_BYTES + 2 * MAX_FRAMING_BYTES);

        // A head that never ends.
        let mut reader = ResponseReader::default();
        let mut bytes = b"HTTP/1.1 200 OK\r\n".to_vec();
        let refused = loop {
            bytes.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
            match reader.advance(&bytes) {
                Ok(Progress::More) => continue,
                other => break other,
            }
        };
        assert!(
            matches!(refused, Err("message head is too large")),
            "{refused:?}"
        );
        assert!(bytes.len() <= MAX_HEAD_BYTES + 64);
    }

    fn request(headers: &[(&str, &str)]) -> WebhookRequest {
        WebhookRequest {
            method: "POST".to_string(),
            headers: headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            body: b"{}".to_vec(),
        }
    }

    const BASE: RequestBase = RequestBase {
        host: String::new(),
        path: String::new(),
        user_agent: "hooktool/test",
    };

    fn head(request: &WebhookRequest) -> Result<String, String> {
        let base = RequestBase {
            host: "localhost:3000".to_string(),
            path: "/hooks?x=1".to_string(),
            ..BASE
        };
        let mut out = Vec::new();
        write_head(&mut out, &base, request)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn requests_are_written_as_hyper_writes_them() {
        assert_eq!(
            head(&request(&[
                ("Content-Type", "application/json"),
                ("X-Sig", "t=1,v1=ab")
            ]))
            .unwrap(),
            "POST /hooks?x=1 HTTP/1.1\r\nhost: localhost:3000\r\nuser-agent: hooktool/test\r\n\
             content-type: application/json\r\nx-sig: t=1,v1=ab\r\ncontent-length: 2\r\n\r\n"
        );
        // A provider's own User-Agent replaces hooktool's.
        assert_eq!(
            head(&request(&[("User-Agent", "Provider/1")])).unwrap(),
            "POST /hooks?x=1 HTTP/1.1\r\nhost: localhost:3000\r\nuser-agent: Provider/1\r\n\
             content-length: 2\r\n\r\n"
        );
    }

    #[test]
    fn requests_http_cannot_carry_are_refused_before_anything_is_sent() {
        assert_eq!(
            head(&request(&[("X Bad", "1")])).unwrap_err(),
            "`X Bad` is not a valid header name"
        );
        assert_eq!(
            head(&request(&[("X-Split", "a\r\nInjected: yes")])).unwrap_err(),
            "the x-split header's value is not valid in HTTP"
        );
        for refused in ['\0', '\x1f', '\x7f', '\n'] {
            let value = format!("{}{refused}", "a".repeat(40));
            assert!(head(&request(&[("X-A", &value)])).is_err(), "{refused:?}");
        }
        assert!(head(&request(&[("X-A", "tab\tand obs-text é")])).is_ok());
        let mut bad_method = request(&[]);
        bad_method.method = "PO ST".to_string();
        assert_eq!(
            head(&bad_method).unwrap_err(),
            "`PO ST` is not a valid HTTP method"
        );
    }
}
