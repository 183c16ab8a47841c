using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Dashboard;

/// <summary>
/// Keeps Orleans's dashboard on its own listener (<see cref="ActorsSiloOptions.DashboardBindAddress"/>, loopback by
/// default): a request for the dashboard's path that arrived on any other local port is answered 404, so opening the
/// health port to the network (as containers do) does not open the dashboard, which has no authentication.
/// </summary>
internal static class DashboardListener
{
    public static WebApplication UseDashboardListener(this WebApplication app, ActorsSiloOptions options, SiloEndpoints endpoints)
    {
        var path = new PathString(options.DashboardPath);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(path) && context.Connection.LocalPort != endpoints.DashboardPort)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}
