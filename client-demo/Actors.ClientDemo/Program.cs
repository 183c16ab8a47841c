using Actors.ClientDemo;

return await DemoApplication.RunAsync(args);
