namespace ScratchNet.Data;

/// <summary>What <see cref="FashionMnistDownloader"/> did with one file.</summary>
public sealed record FetchedFile(string Name, string Path, bool Downloaded, string Sha256);

/// <summary>
/// Downloads the four Fashion-MNIST gzip files from their public source, verifies the SHA-256 of each file's
/// decompressed content, and moves it into place only then (temp file + rename: nothing half-written is left).
/// Files already present and valid are kept.
/// </summary>
public sealed class FashionMnistDownloader(HttpClient http, Uri baseUri)
{
    /// <summary>A client with a short connect timeout, so that an offline machine fails fast.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public static Uri DefaultBaseUri { get; } = new(FashionMnistFiles.DownloadBaseUrl);

    /// <summary>Default target: ./data/fashion-mnist (a folder the locator searches).</summary>
    public static string DefaultDirectory(string currentDirectory) => Path.Combine(currentDirectory, "data", "fashion-mnist");

    public async Task<IReadOnlyList<FetchedFile>> FetchAsync(string directory, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var created = !Directory.Exists(directory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MessageTerms.DataError($"{directory}: cannot create the data folder ({e.Message}); point {{DataDir}} at a writable folder.", e);
        }
        try
        {
            var results = new List<FetchedFile>();
            foreach (var name in FashionMnistFiles.Names)
                results.Add(await FetchFileAsync(directory, name, progress, cancellation).ConfigureAwait(false));
            return results;
        }
        catch when (created && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory); // leave no trace of a fetch that wrote nothing
            throw;
        }
    }

    private async Task<FetchedFile> FetchFileAsync(string directory, string name, Action<string>? progress, CancellationToken cancellation)
    {
        var expected = FashionMnistFiles.Sha256[name];
        var existing = FashionMnistFiles.Find(directory, name);
        if (existing is not null && HashOrNull(existing) == expected)
        {
            progress?.Invoke($"{existing}: present, checksum ok");
            return new FetchedFile(name, existing, Downloaded: false, expected);
        }

        var url = new Uri(baseUri, name + ".gz");
        var target = Path.Combine(directory, name + ".gz");
        var temp = Path.Combine(directory, $".{name}.gz.{Environment.ProcessId}.partial");
        progress?.Invoke($"downloading {url}");
        try
        {
            await DownloadAsync(url, temp, cancellation).ConfigureAwait(false);
            var actual = DataHashes.Sha256OfContent(temp);
            if (actual != expected)
                throw new DataException($"{url}: the downloaded content has SHA-256 {actual}, expected {expected}; nothing was written. " +
                    $"Try again later, or install the files offline with 'sudo apt-get install {FashionMnistFiles.DebianPackage}'.");
            File.Move(temp, target, overwrite: true);
            progress?.Invoke($"{target}: written, checksum ok");
            if (existing is not null && existing != target)
            {
                File.Delete(existing); // a bad raw copy would otherwise shadow the good .gz (the loader prefers raw files)
                progress?.Invoke($"{existing}: removed (its checksum was wrong)");
            }
            return new FetchedFile(name, target, Downloaded: true, actual);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string? HashOrNull(string path)
    {
        try
        {
            return DataHashes.Sha256OfContent(path);
        }
        catch (DataException)
        {
            return null; // unreadable: download a good copy
        }
    }

    private async Task DownloadAsync(Uri url, string temp, CancellationToken cancellation)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new DataException($"{url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}; " +
                    $"install the files with 'sudo apt-get install {FashionMnistFiles.DebianPackage}' instead.");
            await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            await using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await body.CopyToAsync(file, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new DataException($"cannot download {url} ({e.Message}): no internet access? The offline alternative is " +
                $"'sudo apt-get install {FashionMnistFiles.DebianPackage}' (installs the files into {FashionMnistFiles.SystemDirectory}).", e);
        }
        catch (IOException e)
        {
            throw MessageTerms.DataError($"{temp}: cannot write the download ({e.Message}); point {{DataDir}} at a writable folder with space.", e);
        }
    }
}
