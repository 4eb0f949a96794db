//! Files the user names on the command line: whole files (bodies, keys), secret files, and the
//! keys `verify` and `listen` check requests with. Each error is one line naming the file and
//! the flag. Every read is capped (`Read::take`, never the reported length alone: `/dev/zero`
//! reports 0 and pipes have none), and inputs can be refused by their first bytes before the rest
//! is read.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::secret::{Secret, from_file_text};
use crate::domain::signature::wix;
use crate::error::{UserError, io_reason, with_descriptor_hint};

/// Reads a file named by `flag`, refusing one past `limit`.
pub fn read_file_within(path: &Path, flag: &str, limit: Limit) -> Result<Vec<u8>, UserError> {
    read_path_capped(path, limit.bytes, |_| Ok::<_, ()>(())).map_err(|error| match error {
        CappedError::TooLarge => too_large(&path.display().to_string(), limit, flag),
        CappedError::Io(error) => with_descriptor_hint(
            UserError::new(format!(
                "cannot read {} ({}), {flag}",
                path.display(),
                io_reason(&error)
            )),
            &error,
        ),
        CappedError::Refused(()) => unreachable!("no check refuses"),
    })
}

/// Reads a body file named by `flag` (up to [`BODY_LIMIT`]).
pub fn read_file(path: &Path, flag: &str) -> Result<Vec<u8>, UserError> {
    read_file_within(path, flag, BODY_LIMIT)
}

/// Reads a key or certificate file named by `flag` (up to [`KEY_LIMIT`]).
pub fn read_key_file(path: &Path, flag: &str) -> Result<Vec<u8>, UserError> {
    read_file_within(path, flag, KEY_LIMIT)
}

/// Reads a secret file (up to [`KEY_LIMIT`]); one trailing newline (LF or CRLF) is not part of
/// the secret.
pub fn read_secret(path: &Path, flag: &str) -> Result<Secret, UserError> {
    let bytes =
        read_path_capped(path, KEY_LIMIT.bytes, |_| Ok::<_, ()>(())).map_err(
            |error| match error {
                CappedError::TooLarge => {
                    too_large(&format!("secret file {}", path.display()), KEY_LIMIT, flag)
                }
                CappedError::Io(error) => with_descriptor_hint(
                    UserError::new(format!(
                        "cannot read secret file {} ({}), {flag}",
                        path.display(),
                        io_reason(&error)
                    )),
                    &error,
                ),
                CappedError::Refused(()) => unreachable!("no check refuses"),
            },
        )?;
    let text = String::from_utf8(bytes).map_err(|_| {
        UserError::new(format!(
            "cannot read secret file {} (stream did not contain valid UTF-8), {flag}",
            path.display()
        ))
    })?;
    from_file_text(&text)
        .ok_or_else(|| UserError::new(format!("secret file {} is empty, {flag}", path.display())))
}

/// Reads an RSA private key (PEM) to sign Wix JWTs with.
pub fn read_signing_key(path: &Path, flag: &str) -> Result<wix::SigningKey, UserError> {
    wix::SigningKey::from_pem(&read_key_file(path, flag)?).map_err(|error| {
        UserError::new(format!("{error}, {flag} {}", path.display()))
            .hint("expected an RSA private key, e.g. from `openssl genpkey -algorithm RSA`")
    })
}

/// What requests are checked with: HMAC secrets or Beedeez credentials in the order given
/// (flags and `HOOKTOOL_SECRET` first, then files), and the Wix public key if one is named.
pub struct VerifyingKeys {
    pub secrets: Vec<Secret>,
    pub wix_public_key: Option<wix::VerifyingKey>,
}

pub fn read_verifying_keys(
    secrets: &[Secret],
    secret_files: &[PathBuf],
    public_key: Option<&Path>,
) -> Result<VerifyingKeys, UserError> {
    let mut all = secrets.to_vec();
    for path in secret_files {
        all.push(read_secret(path, "--secret-file")?);
    }
    let wix_public_key = match public_key {
        Some(path) => Some(
            wix::VerifyingKey::from_pem(&read_key_file(path, "--public-key")?).map_err(
                |error| UserError::new(format!("{error}, --public-key {}", path.display())),
            )?,
        ),
        None => None,
    };
    Ok(VerifyingKeys {
        secrets: all,
        wix_public_key,
    })
}

/// Where `listen` writes its capture records: appended to `out`, or stdout.
pub fn capture_sink(out: Option<&Path>) -> Result<Box<dyn std::io::Write + Send>, UserError> {
    let Some(path) = out else {
        if crate::io::terminal::stdout_was_closed() {
            return Err(UserError::new(
                "stdout is closed (`>&-`): the capture records would be lost, --out",
            )
            .hint("write them to a file with --out FILE, or redirect stdout"));
        }
        return Ok(Box::new(std::io::stdout()));
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|error| {
            with_descriptor_hint(
                UserError::new(format!(
                    "cannot open {} for appending ({}), --out",
                    path.display(),
                    io_reason(&error)
                )),
                &error,
            )
        })?;
    Ok(Box::new(file))
}

/// Reads an input named on the command line, `-` being stdin: its label for messages and its
/// bytes, up to [`BODY_LIMIT`].
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>), UserError> {
    read_input_within(path, BODY_LIMIT, |_, _| Ok(()))
}

/// Reads an input as [`read_input`] does, but at most `limit` bytes; `check` sees the first bytes
/// and can refuse the input (its error names the input by its label) before the rest is read.
pub fn read_input_within(
    path: &Path,
    limit: Limit,
    check: impl FnOnce(&str, &[u8]) -> Result<(), UserError>,
) -> Result<(String, Vec<u8>), UserError> {
    let (stdin, label, place) = input_naming(path);
    let check = |first: &[u8]| check(&label, first);
    let read = if stdin {
        read_stdin_capped(limit.bytes, check)
    } else {
        read_path_capped(path, limit.bytes, check)
    };
    read.map(|bytes| (label.clone(), bytes))
        .map_err(|error| input_error(error, &label, limit, place))
}

/// Whether `path` is stdin (`-`), the label errors name it by, and the argument it came from.
fn input_naming(path: &Path) -> (bool, String, &'static str) {
    if path.as_os_str() == "-" {
        (true, "stdin".to_string(), "INPUT")
    } else {
        (false, path.display().to_string(), "INPUT argument")
    }
}

fn input_error(error: CappedError<UserError>, label: &str, limit: Limit, place: &str) -> UserError {
    match error {
        CappedError::Refused(error) => error,
        CappedError::TooLarge => too_large(label, limit, place),
        CappedError::Io(error) => with_descriptor_hint(
            UserError::new(format!(
                "cannot read {label} ({}), {place}",
                io_reason(&error)
            )),
            &error,
        ),
    }
}

/// How many bytes an input read in blocks is read at a time: a few thousand requests, enough to
/// keep every core busy checking them, and little enough to stay in the processor's caches.
const BLOCK: usize = 2 << 20;

/// The smallest block a file of known length is read in.
const MIN_BLOCK: usize = 256 << 10;

/// The block size for an input of `length` bytes, when known: an eighth of it rounded up to a
/// power of two (so up to a quarter), between [`MIN_BLOCK`] and [`BLOCK`]. Two blocks of memory are filled before any is reused, and each
/// fresh page costs a fault, so an input of a few megabytes read in full-size blocks spent a
/// third of its time on faults.
fn block_size(length: Option<u64>) -> usize {
    length.map_or(BLOCK, |length| {
        usize::try_from(length / 8)
            .unwrap_or(BLOCK)
            .next_power_of_two()
            .clamp(MIN_BLOCK, BLOCK)
    })
}

/// Room kept before each block for the bytes the previous one left unused (part of a request),
/// so that they join without the block being copied.
const CARRY_ROOM: usize = 64 << 10;

/// What a block's handler did with the bytes it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Used this many of them; the rest comes again with the next block after it.
    Used(usize),
    /// Nothing can be used before the input's end: the rest is read at once, then handed over.
    NeedsAll,
}

/// Reads an input as [`read_input_within`] does, but a block at a time: `handle` gets the bytes
/// not used yet, and whether they run to the input's end, and answers what it did with them.
/// The next block is read while `handle` works. A capture of millions of requests so needs a
/// few blocks of memory rather than its whole size, and the same pages serve every block. When
/// `handle` uses none of the bytes (a request longer than a block), as many again are read onto
/// them before it is asked again, so that it never looks at the same bytes more than a few
/// times. Returns the input's label.
pub fn read_input_in_blocks(
    path: &Path,
    limit: Limit,
    check: impl FnOnce(&str, &[u8]) -> Result<(), UserError>,
    mut handle: impl FnMut(&str, &[u8], bool) -> Result<Handled, UserError> + Send,
) -> Result<String, UserError> {
    let (stdin, label, place) = input_naming(path);
    let fail = |error| input_error(error, &label, limit, place);
    let read_error = |error: std::io::Error| fail(error.into());
    let cap = u64::try_from(limit.bytes).unwrap_or(u64::MAX);
    let (reader, length): (Box<dyn Read + Send>, Option<u64>) = if stdin {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = std::fs::File::open(path).map_err(read_error)?;
        let metadata = file.metadata().map_err(read_error)?;
        let length = metadata.is_file().then_some(metadata.len());
        if length.is_some_and(|length| length > cap) {
            return Err(fail(CappedError::TooLarge));
        }
        (Box::new(file), length)
    };
    let mut reader = reader.take(cap.saturating_add(1));
    let block = block_size(length);
    // Blocks start small and double up to `block`, so that checking starts as soon as a few
    // hundred kilobytes are in rather than once the first full block is.
    let mut growing_block = MIN_BLOCK.min(block);
    // The bytes not used yet are `buffer[start..]`.
    let mut buffer = Vec::with_capacity(block);
    let mut start = 0;
    let mut at_end = fill(&mut reader, &mut buffer, FIRST_BYTES).map_err(read_error)?;
    check(&label, &buffer[..buffer.len().min(FIRST_BYTES)])?;
    if !at_end {
        at_end = fill(&mut reader, &mut buffer, growing_block).map_err(read_error)?;
    }
    let mut used_before = 0usize;
    let mut next = Vec::with_capacity(CARRY_ROOM + block);
    let mut wanted_more = None;
    // Blocks hold several of the longest requests seen, or they would be checked one at a time.
    let mut longest_carried = 0usize;
    loop {
        if used_before + (buffer.len() - start) > limit.bytes {
            return Err(fail(CappedError::TooLarge));
        }
        if at_end {
            handle(&label, &buffer[start..], true)?;
            return Ok(label);
        }
        if let Some(wanted) = wanted_more.take() {
            buffer.drain(..start);
            start = 0;
            if wanted == usize::MAX
                && let Some(rest) = length.map(|length| length.saturating_sub(used_before as u64))
            {
                // A regular file's rest fits at once, without growing (and copying) the buffer.
                buffer.reserve_exact(
                    usize::try_from(rest)
                        .unwrap_or(usize::MAX)
                        .saturating_add(1),
                );
            }
            at_end = fill(&mut reader, &mut buffer, wanted).map_err(read_error)?;
            continue;
        }
        next.clear();
        next.resize(CARRY_ROOM, 0);
        let unused = &buffer[start..];
        growing_block = growing_block.saturating_mul(2).min(block);
        let (handled, next_at_end) = rayon::join(
            || handle(&label, unused, false),
            || {
                fill(
                    &mut reader,
                    &mut next,
                    CARRY_ROOM + growing_block.max(longest_carried.saturating_mul(4)),
                )
            },
        );
        at_end = next_at_end.map_err(read_error)?;
        let handled = match handled {
            Ok(handled) => handled,
            // A stream past the limit is refused as such, whatever else is wrong with it, as
            // when streams were read whole before anything was checked.
            Err(error) if length.is_none() => {
                let rest = std::io::copy(&mut reader, &mut std::io::sink()).map_err(read_error)?;
                let read = used_before + (buffer.len() - start) + (next.len() - CARRY_ROOM);
                if read as u64 + rest > cap {
                    return Err(fail(CappedError::TooLarge));
                }
                return Err(error);
            }
            Err(error) => return Err(error),
        };
        let used = match handled {
            Handled::Used(used) => used,
            Handled::NeedsAll => {
                wanted_more = Some(usize::MAX);
                0
            }
        };
        used_before += used;
        let carried = &buffer[start + used..];
        longest_carried = longest_carried.max(carried.len());
        if carried.len() <= CARRY_ROOM {
            let next_start = CARRY_ROOM - carried.len();
            next[next_start..CARRY_ROOM].copy_from_slice(carried);
            std::mem::swap(&mut buffer, &mut next);
            start = next_start;
        } else {
            buffer.drain(..start + used);
            buffer.extend_from_slice(&next[CARRY_ROOM..]);
            start = 0;
            if used == 0 && wanted_more.is_none() {
                wanted_more = Some(buffer.len().saturating_mul(2));
            }
        }
    }
}

/// Reads into `buffer` until it holds `wanted` bytes or the input ends; whether it ended, as
/// far as this read saw (a buffer already holding `wanted` bytes reads nothing, and says no).
fn fill(reader: &mut impl Read, buffer: &mut Vec<u8>, wanted: usize) -> std::io::Result<bool> {
    let missing = wanted.saturating_sub(buffer.len());
    if missing == 0 {
        return Ok(false);
    }
    let read = reader.by_ref().take(missing as u64).read_to_end(buffer)?;
    Ok(read < missing)
}

/// The most bytes read from one file or stream, and the flag that changes it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: usize,
    pub flag: Option<&'static str>,
}

/// Secret and key files: a PEM key or a CA bundle is a few kilobytes.
pub const KEY_LIMIT: Limit = Limit {
    bytes: 1 << 20,
    flag: None,
};

/// `--body` files of `generate`, `send` and `probe`, and inputs read without a flag to change
/// the limit: far above any webhook body or capture file.
pub const BODY_LIMIT: Limit = Limit {
    bytes: 1 << 30,
    flag: None,
};

/// How many first bytes a check sees before the rest of an input is read: enough for an HTTP
/// request's head (64 KiB) and one byte more.
pub const FIRST_BYTES: usize = crate::domain::inputs::MAX_HEAD_BYTES + 1;

/// The largest segment a stream is read in: joining the segments needs this much beyond the
/// input itself.
const MAX_READ_SEGMENT: usize = 64 << 20;

/// Why a capped read failed.
#[derive(Debug)]
pub enum CappedError<E> {
    Io(std::io::Error),
    /// More than the limit's bytes are there; what was read is dropped.
    TooLarge,
    /// The first bytes show the input is not what the command reads.
    Refused(E),
}

impl<E> From<std::io::Error> for CappedError<E> {
    fn from(error: std::io::Error) -> Self {
        CappedError::Io(error)
    }
}

/// Reads `reader` to its end, but never more than `cap` bytes: an endless stream (`/dev/zero`, a
/// pipe that never closes) ends in `TooLarge` once `cap + 1` bytes were read. `check` sees the
/// first [`FIRST_BYTES`] bytes (all of them when the input is shorter) before the rest is read,
/// so an input that cannot be what the command reads is refused without reading on.
pub fn read_capped<E>(
    reader: impl Read,
    cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    let mut limited = reader.take(u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1));
    let mut bytes = Vec::new();
    (&mut limited)
        .take(FIRST_BYTES as u64)
        .read_to_end(&mut bytes)?;
    check(&bytes).map_err(CappedError::Refused)?;
    if bytes.len() == FIRST_BYTES {
        // Read in segments of growing size, joined once the whole input is known to fit: a
        // buffer grown by doubling would be copied at every step, and peak past 1.5 times the
        // cap before the last byte shows that the input is too large.
        let mut segments = Vec::new();
        let mut total = bytes.len();
        let mut size = FIRST_BYTES;
        loop {
            size = (size * 2).min(MAX_READ_SEGMENT);
            let mut segment = Vec::with_capacity(size);
            let read = (&mut limited).take(size as u64).read_to_end(&mut segment)?;
            total += read;
            if total > cap {
                return Err(CappedError::TooLarge);
            }
            segments.push(segment);
            if read < size {
                break;
            }
        }
        bytes.reserve_exact(total - bytes.len());
        for segment in segments {
            bytes.extend_from_slice(&segment);
        }
    }
    if bytes.len() > cap {
        return Err(CappedError::TooLarge);
    }
    Ok(bytes)
}

/// Reads the file at `path` as [`read_capped`] does. A small file is read whole before its size
/// is asked, at most [`SMALL_FILE`] bytes and then its end; a larger regular file longer than the
/// cap is refused before it is read further, a large one is read in parallel segments after its
/// first bytes are checked. Devices, pipes and `/proc` files report no useful length and are
/// read as streams. The cap counts the bytes a file holds: a `/sys` file that reports a page's
/// size and holds a line is read whatever its reported size.
pub fn read_path_capped<E>(
    path: &Path,
    cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    let mut file = std::fs::File::open(path)?;
    // One read for the bytes and one that finds the end, without a call for the file's size:
    // a run over thousands of small fixtures makes one system call fewer per file.
    let first_read = SMALL_FILE.min(cap.saturating_add(1));
    let mut head = Vec::with_capacity(first_read);
    (&mut file).take(first_read as u64).read_to_end(&mut head)?;
    if head.len() < first_read {
        check(&head[..head.len().min(FIRST_BYTES)]).map_err(CappedError::Refused)?;
        return Ok(head);
    }
    let metadata = file.metadata()?;
    if metadata.is_file() {
        let length = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
        if length > cap {
            return Err(CappedError::TooLarge);
        }
        if length > SEGMENT {
            return read_segments(head, &file, length, cap, check);
        }
        // `/proc` files say they are empty: they are read as streams, below.
        if length > 0 {
            return read_known_size(head, file, length, cap, check);
        }
    }
    read_capped(std::io::Cursor::new(head).chain(file), cap, check)
}

/// The most a file is read before its size is asked: more than most payloads and fixtures.
const SMALL_FILE: usize = 16 << 10;

/// The rest of a regular file of known size, whose first bytes `head` holds, read at once: one
/// read for its bytes and one that finds its end, where a stream takes several. The size is
/// bounded, so `check` may see the first bytes after the rest were read; a file that grows
/// meanwhile is still read no further than `cap + 1` bytes.
fn read_known_size<E>(
    head: Vec<u8>,
    file: std::fs::File,
    length: usize,
    cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    let mut bytes = Vec::with_capacity(length.max(head.len()).saturating_add(1));
    bytes.extend_from_slice(&head);
    let room = cap.saturating_add(1).saturating_sub(head.len());
    file.take(room as u64).read_to_end(&mut bytes)?;
    check(&bytes[..bytes.len().min(FIRST_BYTES)]).map_err(CappedError::Refused)?;
    if bytes.len() > cap {
        return Err(CappedError::TooLarge);
    }
    Ok(bytes)
}

/// Segments read in parallel, one positioned read per thread: for a capture of hundreds of
/// megabytes, a single read would be the one sequential step of the run.
const SEGMENT: usize = 8 << 20;

/// The whole file is read again from its start, by position; `head` is not needed.
#[cfg(unix)]
fn read_segments<E>(
    _head: Vec<u8>,
    file: &std::fs::File,
    length: usize,
    _cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    let mut first = vec![0u8; FIRST_BYTES.min(length)];
    file.read_exact_at(&mut first, 0)?;
    check(&first).map_err(CappedError::Refused)?;
    let mut bytes = vec![0u8; length];
    bytes
        .par_chunks_mut(SEGMENT)
        .enumerate()
        .try_for_each(|(index, segment)| file.read_exact_at(segment, (index * SEGMENT) as u64))?;
    Ok(bytes)
}

#[cfg(not(unix))]
fn read_segments<E>(
    head: Vec<u8>,
    file: &std::fs::File,
    _length: usize,
    cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    read_capped(std::io::Cursor::new(head).chain(file), cap, check)
}

/// Reads stdin as [`read_capped`] does.
pub fn read_stdin_capped<E>(
    cap: usize,
    check: impl FnOnce(&[u8]) -> Result<(), E>,
) -> Result<Vec<u8>, CappedError<E>> {
    read_capped(std::io::stdin().lock(), cap, check)
}

/// `1 GiB`, `64 MiB`, `1 KiB`, or `1500 bytes`.
pub fn size_text(bytes: usize) -> String {
    for (unit, name) in [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// `<what> is larger than the <cap> input limit, <where>`, with a hint naming the flag that
/// raises the limit when there is one.
pub fn too_large(what: &str, limit: Limit, place: &str) -> UserError {
    let error = UserError::new(format!(
        "{what} is larger than the {} input limit, {place}",
        size_text(limit.bytes)
    ));
    match limit.flag {
        Some(flag) => error.hint(format!(
            "raise the limit with {flag}, e.g. {flag} {}",
            size_text(limit.bytes.saturating_mul(4))
                .replace(" bytes", "")
                .replace(' ', "")
        )),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_dropped_from_secret_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, "whsec_x\r\n").unwrap();
        assert_eq!(
            read_secret(&path, "--secret-file").unwrap().expose(),
            "whsec_x"
        );
        std::fs::write(&path, "\n").unwrap();
        assert!(read_secret(&path, "--secret-file").is_err());
        assert!(read_secret(&dir.path().join("none"), "--secret-file").is_err());
    }

    /// A reader that never ends, counting what was read from it.
    struct Endless<'a> {
        byte: u8,
        read: &'a std::cell::Cell<usize>,
    }

    impl Read for Endless<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            buffer.fill(self.byte);
            self.read.set(self.read.get() + buffer.len());
            Ok(buffer.len())
        }
    }

    fn accept(_: &[u8]) -> Result<(), ()> {
        Ok(())
    }

    #[test]
    fn an_endless_reader_is_cut_one_byte_past_the_cap() {
        let read = std::cell::Cell::new(0);
        let result = read_capped(
            Endless {
                byte: b' ',
                read: &read,
            },
            100_000,
            accept,
        );
        assert!(matches!(result, Err(CappedError::TooLarge)));
        assert_eq!(read.get(), 100_001);
    }

    #[test]
    fn files_of_a_few_megabytes_are_read_in_smaller_blocks() {
        assert_eq!(block_size(Some(100_000)), MIN_BLOCK);
        assert_eq!(block_size(Some(3_500_000)), 512 << 10);
        assert_eq!(block_size(Some(1 << 30)), BLOCK);
        assert_eq!(block_size(Some(u64::MAX)), BLOCK);
        assert_eq!(block_size(None), BLOCK, "a stream's length is unknown");
    }

    #[test]
    fn an_input_read_in_blocks_is_handed_over_whole_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capture");
        let bytes: Vec<u8> = (0..2 * BLOCK + 5)
            .map(|index| (index % 251) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        let limit = |bytes| Limit {
            bytes,
            flag: Some("--max-input"),
        };
        // Each call uses all but the last 1,000 bytes, or none every third call; the bytes used
        // are the input, in order, and the last call has the rest.
        let mut used = Vec::new();
        let mut calls = 0;
        let label = read_input_in_blocks(
            &path,
            limit(bytes.len()),
            |_, first| {
                assert_eq!(first, &bytes[..FIRST_BYTES]);
                Ok(())
            },
            |_, block, at_end| {
                calls += 1;
                let taken = match (at_end, calls % 3) {
                    (true, _) => block.len(),
                    (false, 0) => 0,
                    (false, _) => block.len().saturating_sub(1000),
                };
                used.extend_from_slice(&block[..taken]);
                Ok(Handled::Used(taken))
            },
        )
        .unwrap();
        assert_eq!(label, path.display().to_string());
        assert!(calls > 2, "{calls} calls");
        assert!(used == bytes, "the bytes used are the input's");

        // A handler that can use nothing before the end gets the whole input next.
        let mut calls = Vec::new();
        read_input_in_blocks(
            &path,
            limit(bytes.len()),
            |_, _| Ok(()),
            |_, block, at_end| {
                calls.push((block.len(), at_end));
                Ok(Handled::NeedsAll)
            },
        )
        .unwrap();
        // The first block is the smallest, so that handling starts early.
        assert_eq!(calls, [(MIN_BLOCK, false), (bytes.len(), true)]);

        let too_large = read_input_in_blocks(
            &path,
            limit(bytes.len() - 1),
            |_, _| Ok(()),
            |_, _, _| unreachable!("a file past the limit is refused before it is read"),
        );
        assert!(
            too_large
                .unwrap_err()
                .to_string()
                .contains("is larger than the")
        );
        let refused = read_input_in_blocks(
            &path,
            limit(bytes.len()),
            |_, _| Err(UserError::new("refused")),
            |_, _, _| unreachable!("a refused input is not read on"),
        );
        assert_eq!(refused.unwrap_err().to_string(), "refused");
    }

    /// A stream past the limit is refused as too large even when its first block is refused
    /// for what it holds; within the limit, what it holds is the error.
    #[test]
    fn a_stream_too_large_is_refused_as_such_whatever_it_holds() {
        let stream_of = |length: usize| {
            let (reader, mut writer) = std::io::pipe().unwrap();
            let writing = std::thread::spawn(move || {
                use std::io::Write;
                // The reader may stop early: a failed write is not the test's concern.
                let _ = writer.write_all(&vec![b'x'; length]);
            });
            (reader, writing)
        };
        for (length, expected) in [
            (3 * BLOCK, "is larger than the"),
            (3 * BLOCK - 1, "what the first block holds"),
        ] {
            let (reader, writing) = stream_of(length);
            use std::os::fd::AsRawFd;
            let path = PathBuf::from(format!("/proc/self/fd/{}", reader.as_raw_fd()));
            let refused = read_input_in_blocks(
                &path,
                Limit {
                    bytes: 3 * BLOCK - 1,
                    flag: None,
                },
                |_, _| Ok(()),
                |_, _, _| Err(UserError::new("what the first block holds")),
            );
            assert!(
                refused.unwrap_err().to_string().contains(expected),
                "{length} bytes"
            );
            drop(reader);
            writing.join().unwrap();
        }
    }

    #[test]
    fn inputs_up_to_the_cap_are_read_whole() {
        let bytes = vec![7u8; 3 * FIRST_BYTES];
        assert_eq!(read_capped(&bytes[..], bytes.len(), accept).unwrap(), bytes);
        assert!(matches!(
            read_capped(&bytes[..], bytes.len() - 1, accept),
            Err(CappedError::TooLarge)
        ));
        // Across several segments of growing size, joined in order.
        let bytes: Vec<u8> = (0..(1 << 20) + 7)
            .map(|index| (index % 251) as u8)
            .collect();
        assert_eq!(read_capped(&bytes[..], bytes.len(), accept).unwrap(), bytes);
        assert!(matches!(
            read_capped(&bytes[..], bytes.len() - 1, accept),
            Err(CappedError::TooLarge)
        ));
        assert_eq!(read_capped(&b"ab"[..], 2, accept).unwrap(), b"ab");
        assert_eq!(read_capped(&b""[..], 0, accept).unwrap(), b"");
    }

    #[test]
    fn a_refused_start_stops_the_read_at_the_first_bytes() {
        let read = std::cell::Cell::new(0);
        let result = read_capped(
            Endless {
                byte: 0,
                read: &read,
            },
            usize::MAX,
            |first| {
                assert_eq!(first.len(), FIRST_BYTES);
                Err(first[0])
            },
        );
        assert!(matches!(result, Err(CappedError::Refused(0))));
        assert_eq!(read.get(), FIRST_BYTES);
        // A short input is checked whole.
        let result = read_capped(&b"abc"[..], 10, |first| Err(first.to_vec()));
        assert!(matches!(result, Err(CappedError::Refused(first)) if first == b"abc"));
    }

    #[test]
    fn files_are_capped_whether_read_in_segments_or_as_streams() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large");
        let bytes: Vec<u8> = (0..SEGMENT * 2 + 5).map(|index| index as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let checked = std::cell::Cell::new(0);
        let whole = read_path_capped(&path, bytes.len(), |first| {
            checked.set(first.len());
            Ok::<_, ()>(())
        });
        assert_eq!(whole.unwrap(), bytes);
        assert_eq!(checked.get(), FIRST_BYTES);
        assert!(matches!(
            read_path_capped(&path, bytes.len() - 1, accept),
            Err(CappedError::TooLarge)
        ));
        assert!(matches!(
            read_path_capped(&path, usize::MAX, |_| Err(())),
            Err(CappedError::Refused(()))
        ));
        // /dev/zero reports no length: only the cap ends its read.
        #[cfg(unix)]
        assert!(matches!(
            read_path_capped(Path::new("/dev/zero"), 4096, accept),
            Err(CappedError::TooLarge)
        ));
    }

    #[test]
    fn files_around_the_first_read_are_read_whole_or_refused_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        for length in [
            0,
            1,
            FIRST_BYTES,
            SMALL_FILE - 1,
            SMALL_FILE,
            SMALL_FILE + 1,
            3 * SMALL_FILE + 7,
        ] {
            let bytes: Vec<u8> = (0..length).map(|index| (index % 253) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            for cap in [
                0,
                1,
                length.saturating_sub(1),
                length,
                length + 1,
                usize::MAX,
            ] {
                let checked = std::cell::Cell::new(None);
                let result = read_path_capped(&path, cap, |first| {
                    checked.set(Some(first.to_vec()));
                    Ok::<_, ()>(())
                });
                if length > cap {
                    // Longer than the cap: refused, before its first bytes are judged.
                    assert!(
                        matches!(result, Err(CappedError::TooLarge)),
                        "{length} {cap}"
                    );
                    assert_eq!(checked.take(), None, "{length} {cap}");
                } else {
                    assert_eq!(result.unwrap(), bytes, "{length} {cap}");
                    let first = &bytes[..length.min(FIRST_BYTES)];
                    assert_eq!(checked.take().as_deref(), Some(first), "{length} {cap}");
                }
            }
            assert!(matches!(
                read_path_capped(&path, usize::MAX, |first| Err(first.len())),
                Err(CappedError::Refused(first)) if first == length.min(FIRST_BYTES)
            ));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_longer_than_the_first_read_keeps_its_first_bytes() {
        // /dev/zero says nothing of its length; what the first read took is read again as part
        // of the stream, so the cap counts every byte.
        for cap in [SMALL_FILE - 1, SMALL_FILE, 5 * SMALL_FILE, 2 * FIRST_BYTES] {
            let checked = std::cell::Cell::new(0);
            let result = read_path_capped(Path::new("/dev/zero"), cap, |first| {
                checked.set(first.len());
                Ok::<_, ()>(())
            });
            assert!(matches!(result, Err(CappedError::TooLarge)), "{cap}");
            assert_eq!(checked.get(), FIRST_BYTES.min(cap + 1), "{cap}");
        }
        let result = read_path_capped(Path::new("/dev/zero"), usize::MAX, |first| {
            Err(first.iter().all(|byte| *byte == 0))
        });
        assert!(matches!(result, Err(CappedError::Refused(true))));
    }

    #[test]
    fn limits_are_named_in_binary_units_with_the_flag_to_raise_them() {
        assert_eq!(size_text(1 << 30), "1 GiB");
        assert_eq!(size_text(64 << 20), "64 MiB");
        assert_eq!(size_text(1500), "1500 bytes");
        let error = too_large(
            "stdin",
            Limit {
                bytes: 1 << 30,
                flag: Some("--max-input"),
            },
            "INPUT",
        );
        assert_eq!(
            error.message,
            "stdin is larger than the 1 GiB input limit, INPUT"
        );
        assert_eq!(
            error.hints,
            ["raise the limit with --max-input, e.g. --max-input 4GiB"]
        );
        assert!(too_large("key", KEY_LIMIT, "--cacert").hints.is_empty());
    }

    #[test]
    fn secret_files_past_the_key_limit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, vec![b'x'; KEY_LIMIT.bytes + 1]).unwrap();
        let error = read_secret(&path, "--secret-file").err().unwrap();
        assert!(
            error
                .message
                .contains("larger than the 1 MiB input limit, --secret-file")
        );
    }
}
