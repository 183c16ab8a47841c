using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Hosting;

/// <summary>Registers startup tasks (Orleans' <c>AddStartupTask</c>).</summary>
/// <remarks>
/// Every task runs once per silo start, after all of the host's services have started (so it may call grains), in
/// ascending <c>stage</c> order (<see cref="ServiceLifecycleStage"/>, default <see cref="ServiceLifecycleStage.Active"/>)
/// and registration order within a stage. A task that throws fails the host's start with its exception.
/// </remarks>
public static class StartupTaskSiloBuilderExtensions
{
    /// <summary>Adds a startup task of type <typeparamref name="TStartup"/>, resolved from the services or created with constructor injection.</summary>
    public static ISiloBuilder AddStartupTask<TStartup>(this ISiloBuilder builder, int stage = ServiceLifecycleStage.Active)
        where TStartup : class, IStartupTask
        => builder.Add(stage, typeof(TStartup).FullName ?? typeof(TStartup).Name,
            (services, token) => ActivatorUtilities.GetServiceOrCreateInstance<TStartup>(services).Execute(token));

    /// <summary>Adds a startup task instance.</summary>
    public static ISiloBuilder AddStartupTask(this ISiloBuilder builder, IStartupTask startupTask, int stage = ServiceLifecycleStage.Active)
    {
        ArgumentNullException.ThrowIfNull(startupTask);
        return builder.Add(stage, startupTask.GetType().FullName ?? startupTask.GetType().Name, (_, token) => startupTask.Execute(token));
    }

    /// <summary>Adds a startup task delegate.</summary>
    public static ISiloBuilder AddStartupTask(this ISiloBuilder builder, Func<IServiceProvider, CancellationToken, Task> startupTask, int stage = ServiceLifecycleStage.Active)
    {
        ArgumentNullException.ThrowIfNull(startupTask);
        return builder.Add(stage, $"{startupTask.Method.DeclaringType?.Name}.{startupTask.Method.Name}", startupTask);
    }

    private static ISiloBuilder Add(this ISiloBuilder builder, int stage, string name, Func<IServiceProvider, CancellationToken, Task> run)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new StartupTaskRegistration(stage, name, run));
        if (!builder.Services.Any(d => d.ImplementationType == typeof(StartupTaskRunner)))
        {
            builder.Services.AddSingleton<IHostedService, StartupTaskRunner>();
        }

        return builder;
    }
}
