using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Library;

/// <summary><c>/library</c>: the indexing of the library folders, and the files it could not index;
/// <c>POST /admin/library/scan</c>: rescan now.</summary>
public static class LibraryApi
{
    public static IEndpointRouteBuilder MapLibrary(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/library").WithTags("Library").RequireStorage();
        group.MapGet("/", StatusAsync)
            .WithName("LibraryStatus")
            .WithSummary("How far the library folders are indexed.")
            .WithDescription("folders (ConvEmbed:Library:Folders), scanning, seen (audio files the latest scan found), indexed, waiting, unreadable, " +
                             "tracksPerMinute (files finished in the last minute), etaSeconds, lastScanStarted, lastScanFinished, " +
                             "excluded (files whose track was deleted through the API). " +
                             "Library tracks are read from their files in place; their JSON carries their path.");
        group.MapGet("/problems", ProblemsAsync)
            .WithName("LibraryProblems")
            .WithSummary("Files (and folders) the library could not index, with the reason.")
            .WithDescription("Paged by path (page, pageSize 1–500, default 50). A file is tried again when it changes, " +
                             "or on POST /admin/library/scan?retry=true.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static RouteHandlerBuilder MapLibraryScan(this RouteGroupBuilder admin) =>
        admin.MapPost("/library/scan", ScanAsync).WithTags("Admin: library")
            .WithName("ScanLibrary")
            .WithSummary("Rescan the library folders now.")
            .WithDescription("Finds added, changed, moved and deleted files and indexes what is new. retry=true also tries " +
                             "the unreadable files again (a codec installed since, a permission fixed) and takes back the files whose " +
                             "track was deleted through DELETE /tracks/{id}. 202 with the status; 409 when no library folder is configured.")
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Ok<LibraryStatus>> StatusAsync(LibraryStore store, IOptions<LibraryOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await store.StatusAsync(options.Value.FullFolders, ct));

    private static async Task<Ok<LibraryProblemPage>> ProblemsAsync(LibraryStore store, CancellationToken ct, int page = 1, int pageSize = 50)
    {
        if (page < 1) throw new ApiProblemException(StatusCodes.Status400BadRequest, "page must be 1 or more", $"page was {page}.");
        if (pageSize is < 1 or > 500) throw new ApiProblemException(StatusCodes.Status400BadRequest, "pageSize must be between 1 and 500", $"pageSize was {pageSize}.");
        return TypedResults.Ok(await store.ProblemsAsync(page, pageSize, ct));
    }

    private static async Task<Accepted<LibraryStatus>> ScanAsync(LibraryStore store, LibraryScanRequests requests, IOptions<LibraryOptions> options,
        ILoggerFactory loggers, CancellationToken ct, bool retry = false)
    {
        if (options.Value.Folders.Length == 0)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "No library folder is configured",
                $"Set {LibraryOptions.Section}:Folders (environment ConvEmbed__Library__Folders__0=/path/to/music) and restart.");
        if (retry)
        {
            var forgotten = await store.ForgetProblemsAsync(ct);
            loggers.CreateLogger(typeof(LibraryApi)).LogInformation("Library: {Count} unreadable or excluded file(s) will be tried again", forgotten);
        }
        requests.Request();
        return TypedResults.Accepted("/library", await store.StatusAsync(options.Value.FullFolders, ct));
    }
}
