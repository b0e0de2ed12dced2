// Entry point of the CDK CLI (`cdk.json`): everything else lives in `createApp`.
import { createApp } from './app';

createApp().app.synth();
