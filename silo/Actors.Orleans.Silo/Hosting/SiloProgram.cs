namespace Actors.Orleans.Silo.Hosting;

/// <summary>The silo program: build with <see cref="SiloHostingExtensions.AddActorsOrleansSilo"/>, map the endpoints, run.</summary>
public static class SiloProgram
{
    /// <summary>
    /// Runs the silo until SIGTERM or Ctrl+C. Returns 0 after a graceful stop, 1 when it cannot start: an invalid or
    /// unconvertible setting, a data directory that cannot be created or is locked, a port in use. The cause is printed
    /// as one line naming the setting or the path.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            // appsettings.json is read next to the program, whatever the working directory.
            WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.AddActorsOrleansSilo();
            app = builder.Build();
            app.MapActorsOrleansSilo();
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or SiloStartupException or InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"Actors Orleans silo failed to start: {SiloStartupLog.Describe(ex)}");
            return 1;
        }

        return await app.RunActorsOrleansSiloAsync();
    }
}
