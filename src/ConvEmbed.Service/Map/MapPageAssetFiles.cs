using ConvEmbed.MapPage;
using Microsoft.Extensions.FileProviders;

namespace ConvEmbed.Service.Map;

/// <summary>
/// The map page's shared assets (ConvEmbed.MapPage: map.css, scatter.js, also inlined by the CLI's offline map) under
/// <c>/map/</c>, next to the page's own files in wwwroot/map, so the page loads both from one folder.
/// </summary>
public static class MapPageAssetFiles
{
    public static IApplicationBuilder UseMapPageAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/map",
            FileProvider = new EmbeddedFileProvider(MapPageAssets.Assembly, MapPageAssets.ResourcePrefix),
        });
}
