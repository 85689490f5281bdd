namespace ScratchNet.Data;

/// <summary>
/// A data file as loaded: where it was read, the SHA-256 (lowercase hex) of its content — decompressed for gzip
/// files — and whether that hash was compared with a known reference value. Run manifests record these.
/// </summary>
public sealed record DataFile(string Path, string Sha256, bool Verified);
