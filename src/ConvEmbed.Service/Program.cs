using ConvEmbed.Service.Admin;
using ConvEmbed.Service.Extensions;
using ConvEmbed.Service.Health;
using ConvEmbed.Service.Library;
using ConvEmbed.Service.Map;
using ConvEmbed.Service.Passages;
using ConvEmbed.Service.Playlists;
using ConvEmbed.Service.Search;
using ConvEmbed.Service.Tracks;
using ConvEmbed.Service.Training;

var builder = WebApplication.CreateBuilder(args);
builder.AddConvEmbedLogging();
builder.AddConvEmbedServices();

var app = builder.Build();
app.UseConvEmbedPipeline();
app.MapHealthEndpoints();
app.MapTracks();
app.MapSearch();
app.MapPassages();
app.MapAdmin();
app.MapTrainingStatus();
app.MapLibraryMap();
app.MapLibrary();
app.MapPlaylists();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

app.Run();

/// <summary>Entry point; public so integration tests can host it through WebApplicationFactory.</summary>
public partial class Program;
