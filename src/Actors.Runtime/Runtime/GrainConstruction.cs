using System.Reflection;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime;

/// <summary>
/// Builds a grain class's factory: plain constructor injection through <see cref="ActivatorUtilities"/>, or, when a
/// constructor parameter carries <see cref="PersistentStateAttribute"/> or is an <see cref="IGrainContext"/> (how a
/// POCO grain receives its activation), a resolver per parameter (persistent states and the context bound to the
/// activation, everything else from the silo's services).
/// </summary>
internal static class GrainConstruction
{
    public static (Func<IServiceProvider, ActivationData, IGrainBase> Factory, IReadOnlyList<(string, string, string?)> States) CreateFactory(GrainClassInfo info)
    {
        Type type = info.GrainClass;
        ConstructorInfo[] constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        ConstructorInfo? stateful = constructors.FirstOrDefault(c => c.GetParameters().Any(
            p => p.GetCustomAttribute<PersistentStateAttribute>() is not null || p.ParameterType == typeof(IGrainContext)));
        if (stateful is null)
        {
            ObjectFactory factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
            return ((services, _) => (IGrainBase)factory(services, null), []);
        }

        ParameterInfo[] parameters = stateful.GetParameters();
        var resolvers = new Func<IServiceProvider, ActivationData, object?>[parameters.Length];
        var states = new List<(string, string, string?)>();
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo parameter = parameters[i];
            PersistentStateAttribute? state = parameter.GetCustomAttribute<PersistentStateAttribute>();
            if (state is not null)
            {
                if (!parameter.ParameterType.IsGenericType || parameter.ParameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
                {
                    throw new ArgumentException($"Parameter '{parameter.Name}' of '{type.FullName}' has [PersistentState] but is not an IPersistentState<T>.", nameof(info));
                }

                string store = state.StorageName ?? info.Stores.StorageName;
                string? selectedBy = state.StorageName is not null
                    ? $"[PersistentState(\"{state.StateName}\", \"{state.StorageName}\")]"
                    : info.Stores.StorageSelectedBy;
                states.Add((state.StateName, store, selectedBy));
                Type stateType = parameter.ParameterType.GetGenericArguments()[0];
                Type bridge = typeof(PersistentStateBridge<>).MakeGenericType(stateType);
                string stateName = state.StateName;
                resolvers[i] = (_, activation) => Activator.CreateInstance(bridge, stateName, store, selectedBy, activation);
            }
            else if (parameter.ParameterType == typeof(IGrainContext))
            {
                resolvers[i] = (_, activation) => activation;
            }
            else if (parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is { } keyed)
            {
                Type serviceType = parameter.ParameterType;
                object? key = keyed.Key;
                resolvers[i] = (services, _) => ((IKeyedServiceProvider)services).GetRequiredKeyedService(serviceType, key);
            }
            else
            {
                Type serviceType = parameter.ParameterType;
                bool optional = parameter.HasDefaultValue;
                object? defaultValue = optional ? parameter.DefaultValue : null;
                string parameterName = parameter.Name ?? "?";
                resolvers[i] = (services, _) => services.GetService(serviceType)
                    ?? (optional ? defaultValue : throw new InvalidOperationException(
                        $"Cannot create grain '{type.FullName}': no service of type '{serviceType.FullName}' for constructor parameter '{parameterName}'."));
            }
        }

        IGrainBase Create(IServiceProvider services, ActivationData activation)
        {
            object?[] arguments = new object?[resolvers.Length];
            for (int i = 0; i < resolvers.Length; i++)
            {
                arguments[i] = resolvers[i](services, activation);
            }

            try
            {
                return (IGrainBase)stateful.Invoke(arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }

        return (Create, states);
    }
}
