using System.Threading.RateLimiting;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Service.Admin;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Health;
using ConvEmbed.Service.Library;
using ConvEmbed.Service.Map;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Network;
using ConvEmbed.Service.Passages;
using ConvEmbed.Service.Observability;
using ConvEmbed.Service.Playlists;
using ConvEmbed.Service.Processing;
using ConvEmbed.Service.Search;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Tracks;
using ConvEmbed.Service.Training;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;

namespace ConvEmbed.Service.Extensions;

public static class ServiceExtensions
{
    /// <summary>Options, database, storage, the audio pipeline, rate limits, problem details, metrics and Swagger.</summary>
    public static WebApplicationBuilder AddConvEmbedServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DatabaseOptions>(builder, DatabaseOptions.Section, o => o.Validate());
        services.AddValidatedOptions<StorageOptions>(builder, StorageOptions.Section, o => o.Validate());
        services.AddValidatedOptions<UploadOptions>(builder, UploadOptions.Section, o => o.Validate());
        services.AddValidatedOptions<ProcessingOptions>(builder, ProcessingOptions.Section, o => o.Validate());
        services.AddValidatedOptions<AudioOptions>(builder, "ConvEmbed:Audio", ValidateAudio);
        services.AddValidatedOptions<AdminOptions>(builder, AdminOptions.Section, o => o.Validate());
        services.AddValidatedOptions<ServiceTrainingOptions>(builder, ServiceTrainingOptions.Section, o => o.Validate());
        services.AddValidatedOptions<MapOptions>(builder, MapOptions.Section, o => o.Validate());
        services.AddValidatedOptions<LibraryOptions>(builder, LibraryOptions.Section, o => o.Validate());
        services.AddValidatedOptions<InstanceOptions>(builder, "ConvEmbed", o => o.Validate());
        services.AddValidatedOptions<PassageOptions>(builder, PassageOptions.Section, o => o.Validate());
        services.AddValidatedOptions<NetworkOptions>(builder, NetworkOptions.Section, o => o.Validate());
        services.AddValidatedOptions<DeviceOptions>(builder, DeviceOptions.Section, o => o.Validate(ComputeDevice.CudaProblem));

        services.AddSingleton(sp =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            dataSource.UseVector();
            return dataSource.Build();
        });
        services.AddSingleton<StoragePaths>();
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<StorageReadiness>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<Migrator>();
        services.AddSingleton(sp => new FeatureCache(sp.GetRequiredService<StoragePaths>().Features));
        services.AddSingleton(sp => new AudioDecoder(sp.GetRequiredService<IOptions<AudioOptions>>().Value));
        services.AddSingleton(sp => new FeatureExtractor(sp.GetRequiredService<AudioDecoder>(), sp.GetRequiredService<FeatureCache>()));
        services.AddSingleton<TrackFeatures>();
        services.AddSingleton<SimilarityIndex>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<IDatabaseSeed, BootstrapModelSeed>();
        services.AddSingleton<TrackStore>();
        services.AddSingleton<UploadReader>();
        services.AddSingleton<AudioProbe>();
        services.AddSingleton<AudioProcessor>();
        services.AddSingleton<TrackWriter>();
        services.AddSingleton<UploadPipeline>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<ComputeDevice>();
        services.AddHostedService(sp => sp.GetRequiredService<ComputeDevice>());
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<TrainingJobs>();
        services.AddSingleton<Reembedder>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<TrainingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainingWorker>());
        services.AddSingleton<LibraryStore>();
        services.AddSingleton<ITrackDeletionObserver, LibraryExclusions>();
        services.AddSingleton<LibraryIndexer>();
        services.AddSingleton<LibraryScanner>();
        services.AddSingleton<LibraryScanRequests>();
        services.AddHostedService<LibraryWorker>();
        services.AddSingleton<PlaylistMaker>();
        services.AddSingleton<PassageStore>();
        services.AddSingleton<PassageSearch>();
        services.AddSingleton<PassageBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<PassageBackfill>());
        services.AddSingleton<MapStore>();
        services.AddSingleton<MapPointsCache>();
        services.AddSingleton<MapWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<MapWorker>());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // A body that does not bind (malformed JSON, a value of the wrong type) reaches the handler above, which says
        // where it failed, instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // JSON answers compressed for clients that ask (browsers do): the map's points are megabytes of repetitive
        // JSON at 100 000 tracks. Fastest levels: the CPU is for decoding and embedding. Audio is never recompressed.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true; // only JSON the client could read anyway, no secrets mixed with attacker input
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "text/html", "text/css", "text/javascript", "application/javascript"];
        });
        services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.AddTrustedProxies();
        services.AddUploadRateLimits();

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(ServiceMetrics.MeterName)
            .AddPrometheusExporter());

        services.AddEndpointsApiExplorer();
        services.AddConvEmbedSwagger();
        return builder;
    }

    /// <summary>Problem details for every error, request logging, metrics, rate limits, Swagger UI at /swagger.</summary>
    public static WebApplication UseConvEmbedPipeline(this WebApplication app)
    {
        app.UseConvEmbedRequestLogging(); // outermost: logs the status the client got, after problem details
        app.UseTrustedProxies(); // before the rate limiter reads the client's address
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseResponseCompression();
        app.UseStaticFiles().UseMapPageAssets(); // the map page: its own files (wwwroot/map) and those it shares with the CLI
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "ConvEmbed API");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static void AddValidatedOptions<T>(this IServiceCollection services, WebApplicationBuilder builder, string section,
        Func<T, IEnumerable<string>> validate) where T : class
    {
        services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new OptionsValidation<T>(validate));
    }

    private static IEnumerable<string> ValidateAudio(AudioOptions options)
    {
        string? error = null;
        try { options.Validate(); }
        catch (ArgumentException e) { error = $"ConvEmbed:Audio: {e.Message}"; }
        return error is null ? [] : [error];
    }

    private static void AddUploadRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(TracksApi.UploadPolicy, context =>
            {
                var uploads = context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = uploads.PerClientConcurrency,
                        QueueLimit = uploads.PerClientQueue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    });
            });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var uploads = http.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "5";
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many uploads from this client at once",
                        Detail = $"At most {uploads.PerClientConcurrency} uploads run and {uploads.PerClientQueue} wait per client " +
                                 $"({UploadOptions.Section}:PerClientConcurrency, PerClientQueue). Retry after a few seconds.",
                    },
                });
            };
        });
    }
}
