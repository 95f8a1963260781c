import Foundation

/// The statuses the C functions return (`PG_OK`, `PG_ERROR_*` in playgrid.h).
enum Status: Int32 {
    case ok = 0
    case argument = 1
    case handle = 2
    case scenario = 3
    case fun = 4
    case action = 5
    case tape = 6
    case space = 7
    case theme = 8
}

/// A failed C call: the status it returns and the line `pg_error_message` gives.
struct CallError: Error {
    var status: Status
    var message: String

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// The last failure's message, one per thread: a C string the thread owns until its next failure.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    static func set(_ message: String) {
        free(pthread_getspecific(key))
        pthread_setspecific(key, strdup(message))
    }

    static var message: UnsafePointer<CChar> {
        if let text = pthread_getspecific(key) { return UnsafePointer(text.assumingMemoryBound(to: CChar.self)) }
        set("")
        return UnsafePointer(pthread_getspecific(key)!.assumingMemoryBound(to: CChar.self))
    }
}

/// Runs a C call's body: a thrown `CallError` becomes its status and the thread's last message.
@inline(__always)
func call(_ body: () throws(CallError) -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch {
        LastError.set(error.message)
        return error.status.rawValue
    }
}

/// Checks a size given as C's `size_t` (which arrives as an `Int`, so huge values look negative).
func size(_ value: Int, _ name: String) throws(CallError) -> Int {
    guard value >= 0 else { throw CallError(.argument, "\(name) is \(UInt(bitPattern: value)), far too large") }
    return value
}

/// A required pointer argument.
func required<T>(_ pointer: T?, _ name: String) throws(CallError) -> T {
    guard let pointer else { throw CallError(.argument, "\(name) is NULL") }
    return pointer
}

/// A C string argument, NULL refused.
func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CallError) -> String {
    String(cString: try required(pointer, name))
}

/// Writes `text` to a caller's (buffer, capacity, length): the full length in `*length`, as much as fits
/// NUL-terminated in `buffer`, and `PG_ERROR_SPACE` when it did not all fit.
func output(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
            _ length: UnsafeMutablePointer<Int>?) throws(CallError) {
    let capacity = try size(capacity, "capacity")
    let bytes = Array(text.utf8)
    length?.pointee = bytes.count
    guard capacity > 0 else {
        throw CallError(.space, "the text is \(bytes.count) bytes; the buffer holds none (capacity 0)")
    }
    let buffer = try required(buffer, "buffer")
    let fits = min(bytes.count, capacity - 1)
    buffer.withMemoryRebound(to: UInt8.self, capacity: fits + 1) { target in
        for i in 0..<fits { target[i] = bytes[i] }
        target[fits] = 0
    }
    guard fits == bytes.count else {
        throw CallError(.space, "the text is \(bytes.count) bytes and a NUL; the buffer holds \(capacity)")
    }
}
