import { LightningElement } from 'lwc';

export default class CredsparkSetup extends LightningElement {}
