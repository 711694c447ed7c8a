//! `poll_oneoff`: waits for clock timeouts and for descriptors to become readable or writable.
//!
//! Regular files and in-memory pipes are always ready; other host descriptors (terminals,
//! pipes, sockets) are polled with `poll(2)`.

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::fd_table::Host;
use crate::memory::GuestMemory;
use crate::sys;
use crate::types::layout::{EVENT_SIZE, SUBSCRIPTION_SIZE};
use crate::types::{clockid, eventrwflags, eventtype, rights, subclockflags};

/// One event for the guest.
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn new(userdata: u64, kind: u8, error: Errno) -> Self {
        Event {
            userdata,
            error,
            kind,
            nbytes: 0,
            flags: 0,
        }
    }

    fn write(&self, m: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
        let mut out = [0u8; EVENT_SIZE as usize];
        out[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        out[8..10].copy_from_slice(&self.error.raw().to_le_bytes());
        out[10] = self.kind;
        out[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        out[24..26].copy_from_slice(&self.flags.to_le_bytes());
        m.write(ptr, &out)
    }
}

/// A subscription to a host descriptor that must be polled.
struct Waiter {
    userdata: u64,
    kind: u8,
    fd: libc::c_int,
}

/// The instant a clock subscription expires.
fn deadline(m: &GuestMemory<'_>, sub: u32, now: Instant) -> Result<Instant, Errno> {
    let id = m.read_u32(sub + 16)?;
    let timeout = m.read_u64(sub + 24)?;
    let flags = m.read_u16(sub + 40)?;
    let wait = if flags & subclockflags::ABSTIME != 0 {
        if !matches!(id, clockid::REALTIME | clockid::MONOTONIC) {
            return Err(Errno::Inval);
        }
        timeout.saturating_sub(sys::clock_time(id)?)
    } else {
        // Checks that the clock exists.
        sys::clock_res(id)?;
        timeout
    };
    // Far-off deadlines are capped at a year: nobody waits that long.
    Ok(now + Duration::from_nanos(wait.min(365 * 24 * 3600 * 1_000_000_000)))
}

impl WasiCtx {
    pub fn poll_oneoff(
        &mut self,
        mem: &mut [u8],
        subs: u32,
        events: u32,
        nsubscriptions: u32,
        nevents: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            if nsubscriptions == 0 {
                return Err(Errno::Inval);
            }
            let in_len = nsubscriptions
                .checked_mul(SUBSCRIPTION_SIZE)
                .ok_or(Errno::Fault)?;
            let out_len = nsubscriptions.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?;
            m.slice(subs, in_len)?;
            m.slice(events, out_len)?;
            m.slice(nevents, 4)?;

            let now = Instant::now();
            let mut ready = Vec::new();
            let mut clocks = Vec::new();
            let mut waiters = Vec::new();
            for i in 0..nsubscriptions {
                let sub = subs + i * SUBSCRIPTION_SIZE;
                let userdata = m.read_u64(sub)?;
                let kind = m.read_u8(sub + 8)?;
                match kind {
                    eventtype::CLOCK => match deadline(&m, sub, now) {
                        Ok(at) => clocks.push((userdata, at)),
                        Err(e) => ready.push(Event::new(userdata, kind, e)),
                    },
                    eventtype::FD_READ | eventtype::FD_WRITE => {
                        let fd = m.read_u32(sub + 16)?;
                        let entry = match self.fds.get(fd) {
                            Ok(e) => e,
                            Err(e) => {
                                ready.push(Event::new(userdata, kind, e));
                                continue;
                            }
                        };
                        if let Err(e) = entry.require(rights::POLL_FD_READWRITE) {
                            ready.push(Event::new(userdata, kind, e));
                            continue;
                        }
                        let mut ev = Event::new(userdata, kind, Errno::Success);
                        if kind == eventtype::FD_READ && !entry.input.is_empty() {
                            ev.nbytes = entry.input.len() as u64;
                            ready.push(ev);
                            continue;
                        }
                        match &entry.host {
                            Host::Pipe(p) => {
                                if kind == eventtype::FD_READ {
                                    ev.nbytes = p.len() as u64;
                                }
                                ready.push(ev);
                            }
                            Host::Fd(host) if entry.filetype.is_positional() => {
                                if kind == eventtype::FD_READ {
                                    let size = sys::fstat(std::os::fd::AsFd::as_fd(host))
                                        .map_or(0, |st| st.st_size as u64);
                                    ev.nbytes = size.saturating_sub(entry.offset);
                                }
                                ready.push(ev);
                            }
                            Host::Fd(host) => waiters.push(Waiter {
                                userdata,
                                kind,
                                fd: host.as_raw_fd(),
                            }),
                            Host::Inherit(fd) => waiters.push(Waiter {
                                userdata,
                                kind,
                                fd: *fd,
                            }),
                        }
                    }
                    _ => return Err(Errno::Inval),
                }
            }

            loop {
                let now = Instant::now();
                let first = clocks.iter().map(|&(_, at)| at).min();
                if !waiters.is_empty() {
                    let timeout_ms = if !ready.is_empty() {
                        0
                    } else {
                        match first {
                            // Rounded up, so that the clock has expired when poll returns.
                            Some(at) => at
                                .saturating_duration_since(now)
                                .as_nanos()
                                .div_ceil(1_000_000)
                                .min(i32::MAX as u128)
                                as libc::c_int,
                            None => -1,
                        }
                    };
                    let mut pollfds: Vec<libc::pollfd> = waiters
                        .iter()
                        .map(|w| libc::pollfd {
                            fd: w.fd,
                            events: if w.kind == eventtype::FD_READ {
                                libc::POLLIN
                            } else {
                                libc::POLLOUT
                            },
                            revents: 0,
                        })
                        .collect();
                    sys::poll(&mut pollfds, timeout_ms)?;
                    for (w, p) in waiters.iter().zip(&pollfds) {
                        if p.revents == 0 {
                            continue;
                        }
                        let mut ev = Event::new(w.userdata, w.kind, Errno::Success);
                        if p.revents & libc::POLLNVAL != 0 {
                            ev.error = Errno::Badf;
                        } else if p.revents & libc::POLLERR != 0 {
                            ev.error = Errno::Io;
                        } else {
                            if p.revents & libc::POLLHUP != 0 {
                                ev.flags = eventrwflags::FD_READWRITE_HANGUP;
                            }
                            if w.kind == eventtype::FD_READ {
                                // SAFETY: the descriptor belongs to a live entry of the table.
                                let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(w.fd) };
                                ev.nbytes = sys::bytes_readable(fd);
                            }
                        }
                        ready.push(ev);
                    }
                } else if ready.is_empty() {
                    if let Some(at) = first {
                        std::thread::sleep(at.saturating_duration_since(now));
                    }
                }
                let now = Instant::now();
                for &(userdata, at) in &clocks {
                    if at <= now {
                        ready.push(Event::new(userdata, eventtype::CLOCK, Errno::Success));
                    }
                }
                if !ready.is_empty() {
                    break;
                }
            }

            for (i, ev) in ready.iter().enumerate() {
                ev.write(&mut m, events + i as u32 * EVENT_SIZE)?;
            }
            m.write_u32(nevents, ready.len() as u32)
        })())
    }
}
