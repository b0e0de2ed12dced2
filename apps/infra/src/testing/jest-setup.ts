// CDK's built-in CloudFormation schema validation loads its schemas on a process's first
// synthesis, seconds per spec file. `nx run infra:synth` runs it on every build; the specs
// skip it, except the one compliance test that synthesizes with every check turned on.
process.env.CDK_VALIDATION = 'false';
