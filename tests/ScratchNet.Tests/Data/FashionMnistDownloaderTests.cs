using System.Net;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>The downloader against an in-process HTTP handler (the tests never touch the network).</summary>
public class FashionMnistDownloaderTests
{
    private static readonly Uri Source = new("https://example.test/fashion/");

    /// <summary>Answers each request with <paramref name="respond"/>; records the URLs asked for.</summary>
    private sealed class FakeHandler(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(respond(request.RequestUri!));
        }
    }

    private static HttpResponseMessage Serve(byte[] content) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };

    /// <summary>Serves the installed gzip files, as the real source would.</summary>
    private static HttpResponseMessage ServeInstalled(Uri url) =>
        Serve(File.ReadAllBytes(Path.Combine(RealData.RequireFashionMnist(), Path.GetFileName(url.LocalPath))));

    [Fact]
    public async Task Downloads_verifies_and_writes_the_four_files_then_keeps_them_on_a_second_run()
    {
        using var dir = new TempDirectory();
        var target = dir.File("data/fashion-mnist");
        var handler = new FakeHandler(ServeInstalled);
        using var http = new HttpClient(handler);
        var fetched = await new FashionMnistDownloader(http, Source).FetchAsync(target);
        Assert.All(fetched, file => Assert.True(file.Downloaded));
        Assert.Equal(FashionMnistFiles.Names.Select(n => new Uri(Source, n + ".gz")), handler.Requests);
        Assert.Equal(FashionMnistFiles.Names.Select(n => n + ".gz").Order(), Directory.GetFiles(target).Select(Path.GetFileName).Order());
        Assert.Equal(50_000, FashionMnist.LoadDirectory(target).Train.Count);

        var again = await new FashionMnistDownloader(http, Source).FetchAsync(target);
        Assert.All(again, file => Assert.False(file.Downloaded));
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_corrupt_existing_file_is_replaced_by_a_verified_download()
    {
        using var dir = new TempDirectory();
        var badRaw = dir.Write(FashionMnistFiles.TestLabels, DataFixtures.Idx([3], [1, 2, 3]));
        dir.Write(FashionMnistFiles.TrainLabels + ".gz", [0x1f, 0x8b, 1, 2, 3]); // a truncated gzip
        var handler = new FakeHandler(ServeInstalled);
        using var http = new HttpClient(handler);
        await new FashionMnistDownloader(http, Source).FetchAsync(dir.Path);
        Assert.Equal(4, handler.Requests.Count);
        Assert.False(File.Exists(badRaw));
        Assert.Equal(10_000, FashionMnist.LoadDirectory(dir.Path).Test.Count);
    }

    [Fact]
    public async Task Wrong_content_is_rejected_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using var http = new HttpClient(new FakeHandler(_ => Serve(DataFixtures.Gzip(DataFixtures.Idx([3], [1, 2, 3])))));
        var error = await Assert.ThrowsAsync<DataException>(() => new FashionMnistDownloader(http, Source).FetchAsync(dir.Path));
        Assert.Contains("expected " + FashionMnistFiles.Sha256[FashionMnistFiles.TrainImages], error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Offline_fails_with_the_url_and_the_apt_alternative_and_leaves_no_folder()
    {
        using var dir = new TempDirectory();
        var target = dir.File("new-folder");
        using var http = new HttpClient(new FakeHandler(_ => throw new HttpRequestException("Name or service not known")));
        var error = await Assert.ThrowsAsync<DataException>(() => new FashionMnistDownloader(http, Source).FetchAsync(target));
        Assert.Contains("https://example.test/fashion/train-images-idx3-ubyte.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task An_http_error_status_is_a_data_exception()
    {
        using var dir = new TempDirectory();
        using var http = new HttpClient(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));
        var error = await Assert.ThrowsAsync<DataException>(() => new FashionMnistDownloader(http, Source).FetchAsync(dir.Path));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
