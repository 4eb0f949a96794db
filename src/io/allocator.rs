//! The process's memory allocator: the system's while a run is short, mimalloc from the moment
//! a command starts a long, allocation-heavy one (deliveries, a listener, many files).
//!
//! A one-file `validate` or an `events` is over in a couple of milliseconds, and mimalloc's
//! first touches of its arenas and pages cost about 0.4 ms of that; the system allocator starts
//! without them. Sending or receiving tens of thousands of requests on several threads is the
//! opposite case: there mimalloc is 5 to 15 % faster. Memory keeps the allocator that gave it:
//! a block allocated before the switch is freed, and grown, by the system allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// Whether new blocks come from mimalloc. Only ever turns on.
static LONG_RUN: AtomicBool = AtomicBool::new(false);

/// The allocator the binary installs (`#[global_allocator]`).
pub struct Allocator;

/// From now on, new blocks come from mimalloc. Called before the run's threads are started, so
/// that they all see it.
pub fn begin_long_run() {
    LONG_RUN.store(true, Ordering::Relaxed);
}

fn long_run() -> bool {
    LONG_RUN.load(Ordering::Relaxed)
}

/// Whether mimalloc gave out the block at `ptr`. Before the switch it has given out none; a
/// thread holding one of its blocks got it through a hand-off that also shows it the switch.
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: the lookup only reads mimalloc's page map, for any address.
    long_run() && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every block goes back to the allocator that gave it out, found by address.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout contract, passed on.
        unsafe {
            if long_run() {
                MiMalloc.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if long_run() {
                MiMalloc.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the allocator it goes back to.
        unsafe {
            if from_mimalloc(ptr) {
                MiMalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`; the block stays with the allocator that gave it out.
        unsafe {
            if from_mimalloc(ptr) {
                MiMalloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_go_back_to_the_allocator_that_gave_them_out() {
        let small = Layout::from_size_align(48, 8).unwrap();
        let grown = 100_000;
        // SAFETY: every block is allocated with `small`, grown once, and freed once.
        unsafe {
            let system = System.alloc(small);
            begin_long_run();
            let mimalloc = Allocator.alloc(small);
            assert!(!from_mimalloc(system));
            assert!(from_mimalloc(mimalloc));
            for block in [system, mimalloc] {
                block.write_bytes(7, small.size());
                let block = Allocator.realloc(block, small, grown);
                assert_eq!(*block.add(small.size() - 1), 7);
                let layout = Layout::from_size_align(grown, 8).unwrap();
                Allocator.dealloc(block, layout);
            }
        }
    }
}
