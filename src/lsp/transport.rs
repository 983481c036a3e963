//! The stdio transport of the language server: LSP base-protocol frames
//! (`Content-Length: N`, a blank line, N bytes of JSON) read with limits.
//! lsp-server's own reader allocates whatever `Content-Length` says and ends
//! the server on a malformed frame; here a frame that is too large, has no
//! usable header or is not JSON is answered with a JSON-RPC error (id
//! `null`) and the server goes on with the next frame.

use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

use lsp_server::{Connection, Message};

/// The largest message body read (64 MiB): far above any document an
/// editor sends, and far below what would exhaust memory.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The longest header line read; a longer one is not a header.
const MAX_HEADER_LINE: usize = 8 << 10;

/// JSON-RPC's "parse error" and "invalid request".
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// Serves `serve` over stdin and stdout.
pub fn stdio<E>(serve: impl FnOnce(&Connection) -> Result<(), E>) -> Result<(), E> {
    let (server, client) = Connection::memory();
    let stdout = Arc::new(Mutex::new(io::stdout()));
    let errors = Arc::clone(&stdout);
    let to_server = client.sender;
    // Left blocked on stdin when the server exits: the process ends anyway.
    std::thread::spawn(move || {
        let mut input = Input::new(io::stdin().lock());
        read_frames(
            &mut input,
            |m| to_server.send(m).is_ok(),
            |e| {
                write_frame(&errors, &e);
            },
        );
    });
    let from_server = client.receiver;
    let writer = std::thread::spawn(move || {
        for m in from_server {
            let Ok(mut out) = stdout.lock() else { return };
            if m.write(&mut *out).is_err() {
                return;
            }
        }
    });
    let result = serve(&server);
    drop(server);
    let _ = writer.join();
    result
}

/// Reads frames from `input` until it ends (or `deliver` refuses), handing
/// each message to `deliver` and each JSON-RPC error to `reply`.
pub fn read_frames<R: Read>(
    input: &mut Input<R>,
    mut deliver: impl FnMut(Message) -> bool,
    mut reply: impl FnMut(serde_json::Value),
) {
    loop {
        match read_frame(input) {
            Ok(Frame::Message(m)) => {
                if !deliver(m) {
                    return;
                }
            }
            Ok(Frame::Invalid { code, why, resync }) => {
                eprintln!("prefectc lsp: {why}");
                reply(error_response(code, &why));
                if resync && skip_to_next_header(input).is_err() {
                    return;
                }
            }
            Ok(Frame::End) | Err(_) => return,
        }
    }
}

fn error_response(code: i32, message: &str) -> serde_json::Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    })
}

fn write_frame(out: &Mutex<io::Stdout>, body: &serde_json::Value) {
    let text = body.to_string();
    if let Ok(mut out) = out.lock() {
        let _ = write!(out, "Content-Length: {}\r\n\r\n{text}", text.len());
        let _ = out.flush();
    }
}

enum Frame {
    Message(Message),
    /// A frame that cannot be served; `resync` when the stream must be
    /// searched for the next `Content-Length` header.
    Invalid {
        code: i32,
        why: String,
        resync: bool,
    },
    End,
}

fn invalid(code: i32, why: impl Into<String>, resync: bool) -> Frame {
    Frame::Invalid {
        code,
        why: why.into(),
        resync,
    }
}

fn read_frame<R: Read>(input: &mut Input<R>) -> io::Result<Frame> {
    let mut length = None;
    let mut any_header = false;
    loop {
        let Some(line) = input.read_line(MAX_HEADER_LINE)? else {
            return Ok(if any_header {
                invalid(PARSE_ERROR, "the input ended inside a header", false)
            } else {
                Frame::End
            });
        };
        let Some(line) = line else {
            return Ok(invalid(PARSE_ERROR, "a header line is too long", true));
        };
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if any_header {
                break;
            }
            continue;
        }
        any_header = true;
        let header = line.split_once(':').filter(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        let Some((name, value)) = header else {
            return Ok(invalid(
                PARSE_ERROR,
                "a message without a `Content-Length` header",
                true,
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<u64>() {
                Ok(n) => length = Some(n),
                Err(_) => {
                    return Ok(invalid(
                        PARSE_ERROR,
                        "`Content-Length` is not a number",
                        true,
                    ));
                }
            }
        }
    }
    let Some(length) = length else {
        return Ok(invalid(
            PARSE_ERROR,
            "a message without a `Content-Length` header",
            true,
        ));
    };
    if length > MAX_MESSAGE_BYTES as u64 {
        return Ok(invalid(
            INVALID_REQUEST,
            format!("a message of {length} bytes is larger than the limit of {MAX_MESSAGE_BYTES}"),
            true,
        ));
    }
    let Some(body) = input.read_exact(length as usize)? else {
        return Ok(Frame::End);
    };
    Ok(match serde_json::from_slice::<serde_json::Value>(&body) {
        Err(e) => invalid(
            PARSE_ERROR,
            format!("a message that is not JSON: {e}"),
            false,
        ),
        Ok(json) => match serde_json::from_value::<Message>(json) {
            Ok(m) => Frame::Message(m),
            Err(e) => invalid(
                INVALID_REQUEST,
                format!("a message that is not a request, response or notification: {e}"),
                false,
            ),
        },
    })
}

/// Discards input up to the next `Content-Length` (a frame's body does not
/// end in a newline, so the next header may follow it on the same line), or
/// to the end.
fn skip_to_next_header<R: Read>(input: &mut Input<R>) -> io::Result<()> {
    const HEADER: &[u8] = b"content-length";
    loop {
        let ahead = lower(input.peek(HEADER.len())?);
        if ahead.len() < HEADER.len() || ahead == HEADER {
            return Ok(());
        }
        input.next_byte()?;
    }
}

fn lower(b: &[u8]) -> Vec<u8> {
    b.to_ascii_lowercase()
}

/// A byte reader that can look ahead, over any `Read`.
pub struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
}

impl<R: Read> Input<R> {
    pub fn new(inner: R) -> Input<R> {
        Input {
            inner,
            buf: Vec::new(),
            pos: 0,
        }
    }

    /// Up to `n` bytes ahead, fewer only at the end of the input.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() - self.pos < n {
            if self.pos > 0 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            let mut chunk = [0u8; 8192];
            let got = self.inner.read(&mut chunk)?;
            if got == 0 {
                break;
            }
            self.buf.extend_from_slice(&chunk[..got]);
        }
        let end = (self.pos + n).min(self.buf.len());
        Ok(&self.buf[self.pos..end])
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let b = self.peek(1)?.first().copied();
        if b.is_some() {
            self.pos += 1;
        }
        Ok(b)
    }

    /// One line with its `\n`: `None` at the end of the input,
    /// `Some(None)` for a line longer than `max` (consumed up to `max`).
    fn read_line(&mut self, max: usize) -> io::Result<Option<Option<Vec<u8>>>> {
        let mut line = Vec::new();
        loop {
            let Some(b) = self.next_byte()? else {
                return Ok((!line.is_empty()).then_some(Some(line)));
            };
            line.push(b);
            if b == b'\n' {
                return Ok(Some(Some(line)));
            }
            if line.len() > max {
                return Ok(Some(None));
            }
        }
    }

    /// Exactly `n` bytes, or `None` if the input ends first.
    fn read_exact(&mut self, n: usize) -> io::Result<Option<Vec<u8>>> {
        let mut out = Vec::with_capacity(n.min(1 << 20));
        let buffered = (self.buf.len() - self.pos).min(n);
        out.extend_from_slice(&self.buf[self.pos..self.pos + buffered]);
        self.pos += buffered;
        let rest = (n - out.len()) as u64;
        (&mut self.inner).take(rest).read_to_end(&mut out)?;
        Ok((out.len() == n).then_some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<String>, Vec<i32>) {
        let mut methods = Vec::new();
        let mut errors = Vec::new();
        read_frames(
            &mut Input::new(input),
            |m| {
                if let Message::Request(r) = m {
                    methods.push(r.method);
                }
                true
            },
            |e| errors.push(e["error"]["code"].as_i64().expect("a code") as i32),
        );
        (methods, errors)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn answers_garbage_and_goes_on() {
        let ok = frame(r#"{"jsonrpc":"2.0","id":1,"method":"m"}"#);
        let input = [
            "Content-Length: 1000000000000\r\n\r\n{}".to_string(),
            ok.clone(),
            frame("{not json"),
            ok.clone(),
            "{\"jsonrpc\":\"2.0\"}\r\n".to_string(),
            ok.clone(),
            frame(r#"{"x":1}"#),
            ok.clone(),
            "Content-Length: nope\r\n\r\n".to_string(),
            ok.clone(),
            format!("X-Long: {}\r\n", "a".repeat(100_000)),
            ok,
        ]
        .concat();
        let (methods, errors) = frames(input.as_bytes());
        assert_eq!(methods.len(), 6, "{methods:?} {errors:?}");
        assert_eq!(
            errors,
            [
                INVALID_REQUEST,
                PARSE_ERROR,
                PARSE_ERROR,
                INVALID_REQUEST,
                PARSE_ERROR,
                PARSE_ERROR
            ]
        );
    }
}
