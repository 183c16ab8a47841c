using Actors.Orleans.ClientDemo;

return await DemoRun.MainAsync(args);
