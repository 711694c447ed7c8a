//! The pages of linear memory that restored runs write, learned from training runs and kept in
//! the snapshot, so that a restore can copy them in a few system calls before it resumes
//! instead of taking a copy-on-write fault on each.
//!
//! A restore maps each memory image privately (`memory_image.rs`), so the first write to a
//! page traps and copies it. A restored CPython writes about 120 pages of its image before it
//! exits, whatever its program: the interpreter's state, its stack, the allocator's pools.
//! Most of them were mapped read-only by an earlier read fault first, so each costs two traps.
//! `MADV_POPULATE_WRITE` copies them without trapping (see benches/README for the time it
//! saves).
//!
//! What is kept: the pages that every training run wrote, found by comparing the run's memory
//! with the snapshot's image (a page written back with its old bytes looks unwritten, which
//! only leaves it to be copied on its fault as before). Pages that some program does not write
//! cost that program a page copy each; pages it writes beyond the set fault as before.
//!
//! Layout of the section: the page size the pages are counted in (u32), a count of memories,
//! and for each a count of runs followed by that many (first page u32, page count u32), in
//! increasing order.

use super::codec::{Reader, Writer};
use super::memory_image;
use crate::memory::LinearMemory;
use crate::Error;

/// Consecutive written pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PageRun {
    first: u32,
    count: u32,
}

/// The written pages of each memory of a store, in pages of `page` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WrittenPages {
    page: usize,
    /// For each memory, its written pages as runs, in increasing order.
    memories: Vec<Vec<PageRun>>,
}

impl WrittenPages {
    /// The pages of each memory in `memories` whose bytes differ from its image in `images`
    /// (zero past the image's end).
    pub(crate) fn compare(images: &[&[u8]], memories: &[&[u8]]) -> WrittenPages {
        let page = crate::zeroed::page_size();
        let memories = images
            .iter()
            .zip(memories)
            .map(|(image, memory)| {
                let pages: Vec<u32> = memory
                    .chunks(page)
                    .enumerate()
                    .filter(|(k, bytes)| {
                        let start = (k * page).min(image.len());
                        let end = (start + bytes.len()).min(image.len());
                        let (old, fresh) = bytes.split_at(end - start);
                        old != &image[start..end] || fresh.iter().any(|&b| b != 0)
                    })
                    .map(|(k, _)| k as u32)
                    .collect();
                runs_of(&pages)
            })
            .collect();
        WrittenPages { page, memories }
    }

    /// Keeps only the pages that `other` has too.
    pub(crate) fn intersect(&mut self, other: &WrittenPages) {
        if self.page != other.page {
            self.memories.clear();
            return;
        }
        self.memories.truncate(other.memories.len());
        for (mine, theirs) in self.memories.iter_mut().zip(&other.memories) {
            let theirs = pages_of(theirs);
            let mut pages = pages_of(mine);
            pages.retain(|k| theirs.binary_search(k).is_ok());
            *mine = runs_of(&pages);
        }
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.u32(self.page as u32);
        w.len(self.memories.len());
        for runs in &self.memories {
            w.len(runs.len());
            for run in runs {
                w.u32(run.first);
                w.u32(run.count);
            }
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<WrittenPages, Error> {
        let page = r.u32()? as usize;
        if !page.is_power_of_two() {
            return Err(r.error(format!("page size {page} is not a power of two")));
        }
        let count = r.count(4)?;
        let mut memories = Vec::with_capacity(count);
        for _ in 0..count {
            let count = r.count(8)?;
            let mut runs: Vec<PageRun> = Vec::with_capacity(count);
            for _ in 0..count {
                let run = PageRun {
                    first: r.u32()?,
                    count: r.u32()?,
                };
                let after_last = runs.last().map_or(0, |last| last.first + last.count);
                if run.count == 0
                    || run.first < after_last
                    || run.first.checked_add(run.count).is_none()
                {
                    return Err(r.error("page runs overlap or are out of order"));
                }
                runs.push(run);
            }
            memories.push(runs);
        }
        r.finish()?;
        Ok(WrittenPages { page, memories })
    }

    /// Copies the recorded pages of each of `memories` (mapped over their images) into the
    /// process now. Only pages inside a memory's current length are touched; nothing is done if
    /// this host's page size is not the one the pages were counted in.
    pub(crate) fn populate(&self, memories: &[LinearMemory]) {
        if self.page != crate::zeroed::page_size() {
            return;
        }
        for (runs, mem) in self.memories.iter().zip(memories) {
            let limit = mem.len() / self.page;
            for run in runs {
                let first = run.first as usize;
                let end = (first + run.count as usize).min(limit);
                if first < end {
                    memory_image::populate(mem, first * self.page, (end - first) * self.page);
                }
            }
        }
    }
}

/// The pages of `runs`, in order.
fn pages_of(runs: &[PageRun]) -> Vec<u32> {
    runs.iter()
        .flat_map(|r| r.first..r.first + r.count)
        .collect()
}

/// `pages` (sorted) as runs of consecutive pages.
fn runs_of(pages: &[u32]) -> Vec<PageRun> {
    let mut runs: Vec<PageRun> = Vec::new();
    for &k in pages {
        match runs.last_mut() {
            Some(run) if run.first + run.count == k => run.count += 1,
            _ => runs.push(PageRun { first: k, count: 1 }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_pages_are_those_that_differ_from_the_image_or_from_zero_past_it() {
        let page = crate::zeroed::page_size();
        let image = vec![1u8; 3 * page + 10];
        let mut memory = image.clone();
        memory.resize(6 * page, 0);
        memory[page + 5] = 9;
        memory[3 * page + 9] = 0;
        memory[3 * page + 11] = 7;
        memory[5 * page] = 1;
        let w = WrittenPages::compare(&[&image], &[&memory]);
        assert_eq!(pages_of(&w.memories[0]), [1, 3, 5]);

        let mut other = WrittenPages::compare(&[&image], &[&image]);
        assert_eq!(other.memories, [vec![]]);
        other.memories[0] = runs_of(&[0, 3, 4, 5]);
        other.intersect(&w);
        assert_eq!(pages_of(&other.memories[0]), [3, 5]);
    }

    #[test]
    fn runs_round_trip_and_bad_runs_are_errors() {
        let w = WrittenPages {
            page: 4096,
            memories: vec![runs_of(&[1, 2, 3, 7, 9, 10]), vec![]],
        };
        assert_eq!(
            w.memories[0],
            [
                PageRun { first: 1, count: 3 },
                PageRun { first: 7, count: 1 },
                PageRun { first: 9, count: 2 },
            ]
        );
        let mut out = Writer::default();
        w.encode(&mut out);
        let back = WrittenPages::decode(&mut Reader::new(&out.buf, "written pages")).unwrap();
        assert_eq!(back, w);

        let mut overlapping = Writer::default();
        for v in [4096, 1, 2, 5, 3, 6, 1] {
            overlapping.u32(v);
        }
        let err = WrittenPages::decode(&mut Reader::new(&overlapping.buf, "written pages"));
        assert!(err.unwrap_err().to_string().contains("overlap"));
        let mut odd = Writer::default();
        odd.u32(3000);
        odd.u32(0);
        assert!(WrittenPages::decode(&mut Reader::new(&odd.buf, "written pages")).is_err());
    }
}
