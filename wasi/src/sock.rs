//! `sock_*`: the socket functions, on sockets the embedder handed to the guest (and the
//! connections accepted from them).

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::fd_table::{FdEntry, FdKind, FdTable, Host};
use crate::memory::{total_len, GuestMemory};
use crate::sys;
use crate::types::{fdflags, rights, sockflags, Filetype};

impl FdTable {
    /// The entry of socket `fd`, which must hold `rights`.
    fn socket(&mut self, fd: u32, rights: u64) -> Result<&mut FdEntry, Errno> {
        let e = self.get_mut(fd)?;
        if !e.filetype.is_socket() {
            return Err(Errno::Notsock);
        }
        e.require(rights)?;
        Ok(e)
    }
}

impl WasiCtx {
    pub fn sock_accept(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        flags: u32,
        result_fd: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            m.slice(result_fd, 4)?;
            if flags & !(fdflags::NONBLOCK as u32) != 0 {
                return Err(Errno::Inval);
            }
            let e = self.fds.socket(fd, rights::SOCK_ACCEPT)?;
            let host = e.host_fd().ok_or(Errno::Badf)?;
            let conn = sys::accept(host, flags != 0)?;
            let rights = (
                e.rights_inheriting & rights::SOCKET_BASE,
                e.rights_inheriting,
            );
            let entry = FdEntry::new(
                FdKind::Socket,
                Filetype::SocketStream,
                rights,
                flags as u16,
                Host::Fd(conn),
            );
            let new_fd = self.fds.insert(entry)?;
            m.write_u32(result_fd, new_fd)
        })())
    }

    pub fn sock_recv(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        ri_data: u32,
        ri_data_len: u32,
        ri_flags: u32,
        ro_datalen: u32,
        ro_flags: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(ri_data, ri_data_len)?;
            let e = self.fds.socket(fd, rights::FD_READ)?;
            let known = sockflags::RECV_PEEK | sockflags::RECV_WAITALL;
            if ri_flags & !(known as u32) != 0 {
                return Err(Errno::Inval);
            }
            let mut flags = 0;
            if ri_flags & sockflags::RECV_PEEK as u32 != 0 {
                flags |= libc::MSG_PEEK;
            }
            if ri_flags & sockflags::RECV_WAITALL as u32 != 0 {
                flags |= libc::MSG_WAITALL;
            }
            let mut buf = vec![0u8; total_len(&iovs)];
            let datagram = e.filetype == Filetype::SocketDgram;
            let (n, truncated) =
                sys::recv(e.host_fd().ok_or(Errno::Badf)?, &mut buf, flags, datagram)?;
            m.scatter(&iovs, &buf[..n])?;
            m.write_u32(ro_datalen, n as u32)?;
            let out_flags = if truncated {
                sockflags::RECV_DATA_TRUNCATED
            } else {
                0
            };
            m.write_u16(ro_flags, out_flags)
        })())
    }

    pub fn sock_send(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        si_data: u32,
        si_data_len: u32,
        _si_flags: u32,
        so_datalen: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(si_data, si_data_len)?;
            let e = self.fds.socket(fd, rights::FD_WRITE)?;
            let n = sys::send(e.host_fd().ok_or(Errno::Badf)?, &m.gather(&iovs)?)?;
            m.write_u32(so_datalen, n as u32)
        })())
    }

    pub fn sock_shutdown(&mut self, _mem: &mut [u8], fd: u32, how: u32) -> WasiResult {
        finish((|| {
            let e = self.fds.socket(fd, rights::SOCK_SHUTDOWN)?;
            let rd = sockflags::SHUT_RD as u32;
            let wr = sockflags::SHUT_WR as u32;
            let how = match how {
                h if h == rd => libc::SHUT_RD,
                h if h == wr => libc::SHUT_WR,
                h if h == rd | wr => libc::SHUT_RDWR,
                _ => return Err(Errno::Inval),
            };
            sys::shutdown(e.host_fd().ok_or(Errno::Badf)?, how)
        })())
    }
}
