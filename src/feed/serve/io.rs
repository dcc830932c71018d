//! A connection's socket, as the server holds it.
//!
//! Deadlines: a read that waits longer than the idle timeout, or a write
//! that makes no progress for the write timeout, fails with `TimedOut`,
//! and hyper drops the connection. hyper's own header timeout bounds a
//! request that trickles in (slowloris), but not a connection that sends
//! nothing at all between requests, nor a client that stops reading its
//! answer: those are what this is for.
//!
//! Idleness: a connection that has written all it had to (or is new) and
//! has not received a byte since is idle, and stands in [`Idle`], oldest
//! first. When every slot is taken, the server rings the oldest idle
//! connection's [`Bell`]: its next read is the end of the stream, and
//! hyper closes it. So a crowd of silent connections cannot keep a client
//! with a request out, and a request or an answer under way is never cut.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};

/// How the server asks one connection to close.
#[derive(Default)]
pub(super) struct Bell {
    rung: AtomicBool,
    /// Wakes the connection's task, which then asks hyper to close.
    pub(super) woken: Notify,
}

impl Bell {
    fn ring(&self) {
        self.rung.store(true, Ordering::SeqCst);
        self.woken.notify_one();
    }
}

/// The idle connections, oldest first, by their bells.
#[derive(Default)]
pub(super) struct Idle {
    queue: Mutex<(u64, BTreeMap<u64, Arc<Bell>>)>,
}

impl Idle {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, BTreeMap<u64, Arc<Bell>>)> {
        // Nothing here panics while holding the lock; go on if it did.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn enter(&self, bell: &Arc<Bell>) -> u64 {
        let mut q = self.lock();
        q.0 += 1;
        let key = q.0;
        q.1.insert(key, bell.clone());
        key
    }

    fn leave(&self, key: u64) {
        self.lock().1.remove(&key);
    }

    /// Asks the connection idle the longest to close; false when none is.
    pub(super) fn shed_oldest(&self) -> bool {
        let oldest = self.lock().1.pop_first();
        oldest.map(|(_, bell)| bell.ring()).is_some()
    }
}

pub(super) struct Deadlines {
    stream: TcpStream,
    reading: Clock,
    writing: Clock,
    idle: Arc<Idle>,
    bell: Arc<Bell>,
    /// Where this connection stands in `idle`, while it is idle.
    idle_key: Option<u64>,
}

/// Runs from the first time an operation has to wait until it completes.
struct Clock {
    limit: Duration,
    sleep: Pin<Box<Sleep>>,
    running: bool,
}

impl Clock {
    fn new(limit: Duration) -> Clock {
        Clock {
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
            running: false,
        }
    }

    fn stop(&mut self) {
        self.running = false;
    }

    /// The operation is waiting: starts the clock if it is not running,
    /// and says whether it has run out (else it wakes the task when it
    /// does).
    fn ran_out(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.running {
            self.sleep.as_mut().reset(Instant::now() + self.limit);
            self.running = true;
        }
        self.sleep.as_mut().poll(cx).is_ready()
    }
}

impl Deadlines {
    /// The socket of a connection that just opened, idle until it sends;
    /// `bell` rings when the server wants it closed.
    pub(super) fn new(
        stream: TcpStream,
        idle_timeout: Duration,
        write_timeout: Duration,
        idle: Arc<Idle>,
        bell: Arc<Bell>,
    ) -> Deadlines {
        let idle_key = Some(idle.enter(&bell));
        Deadlines {
            stream,
            reading: Clock::new(idle_timeout),
            writing: Clock::new(write_timeout),
            idle,
            bell,
            idle_key,
        }
    }

    /// Out of the idle queue: a request or an answer is under way.
    fn busy(&mut self) {
        if let Some(key) = self.idle_key.take() {
            self.idle.leave(key);
        }
    }

    /// What a write returned: a write that moved bytes also restarts the
    /// idle clock, since the connection is busy answering, not idle.
    fn wrote<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending if self.writing.ran_out(cx) => Poll::Ready(Err(timed_out("write"))),
            Poll::Pending => {
                // An answer is under way: not idle until it is written.
                self.busy();
                Poll::Pending
            }
            done => {
                self.writing.stop();
                self.reading.stop();
                if self.idle_key.is_none() {
                    self.idle_key = Some(self.idle.enter(&self.bell));
                }
                done
            }
        }
    }
}

impl Drop for Deadlines {
    fn drop(&mut self) {
        self.busy();
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("{what} timed out"))
}

impl AsyncRead for Deadlines {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.idle_key.is_some() && this.bell.rung.load(Ordering::SeqCst) {
            // Asked to close between requests: end of stream.
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Pending if this.reading.ran_out(cx) => Poll::Ready(Err(timed_out("read"))),
            Poll::Pending => Poll::Pending,
            done => {
                this.reading.stop();
                if buf.filled().len() > before {
                    this.busy();
                }
                done
            }
        }
    }
}

impl AsyncWrite for Deadlines {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.wrote(cx, result)
    }

    // Forwarded so hyper writes head and body with one writev: one segment
    // for a small answer, not a head that waits on Nagle for the body.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.wrote(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_flush(cx);
        this.wrote(cx, result)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.wrote(cx, result)
    }
}
