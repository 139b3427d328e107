// Private to storage/: SQLite's default VFS, wrapped so that every
// connection of the process reads a database file through one memory map of
// that file, which grows with the file and is never moved or unmapped while
// a connection has the file open.
//
// Why: SQLite's own map belongs to one connection, and a connection drops it
// (munmap of up to 2 GB) whenever another connection has committed since its
// last read. The public verification's io threads then paid 2-8 ms per
// munmap and a page fault per page afterwards, about nine times a second at
// 20,000 scans/s (a commit every 200 ms, two readers).
//
// Contract, as for SQLite's map: pages are read through the map, never
// written (SQLite writes with pwrite; MAP_SHARED sees those writes). After
// the file shrinks (a VACUUM), offsets past the new end are read with xRead
// until the file has grown over them again. Pages another process adds to
// the file are read with xRead for up to 100 ms before the map covers them
// (the map asks the file's length again only that often once it found the
// file short, or after a write of this process). Another process must not shrink
// a file this process has open with reads in flight, as with SQLite's map.
// A connection reads through the map only with PRAGMA mmap_size > 0; its
// value is then only a switch: the whole file is mapped, up to the address
// range reserved per file (256 GB; the rest is read with xRead).
#pragma once

namespace redshield::storage {

// Registers the wrapping VFS as SQLite's default, once per process; call
// before the first connection opens. Returns false (and SQLite's default
// stays) if SQLite refused it.
bool UseSharedMaps();

}  // namespace redshield::storage
